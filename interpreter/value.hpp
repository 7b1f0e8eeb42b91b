// Runtime values. Numbers are doubles in SI base units; their dimension and display unit live in
// the static type, so a number costs nothing more than a double.
#pragma once
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace plan {

struct ListValue;
struct RecordValue;

struct Value {
    std::variant<double, bool, std::shared_ptr<const std::string>, std::shared_ptr<const ListValue>,
                 std::shared_ptr<const RecordValue>>
        v = 0.0;

    Value() = default;
    Value(double d) : v(d) {}
    Value(bool b) : v(b) {}
    static Value string(std::string s) {
        Value r;
        r.v = std::make_shared<const std::string>(std::move(s));
        return r;
    }
    double num() const { return std::get<double>(v); }
    bool truth() const { return std::get<bool>(v); }
    const std::string& str() const { return *std::get<2>(v); }
    const ListValue& list() const { return *std::get<3>(v); }
    const RecordValue& record() const { return *std::get<4>(v); }
};

struct ListValue {
    std::vector<Value> items;
};
struct RecordValue {
    std::vector<Value> fields;  // in the order of the record type's names
};

inline Value make_list(std::vector<Value> items) {
    Value r;
    r.v = std::make_shared<const ListValue>(ListValue{std::move(items)});
    return r;
}
inline Value make_record(std::vector<Value> fields) {
    Value r;
    r.v = std::make_shared<const RecordValue>(RecordValue{std::move(fields)});
    return r;
}

}  // namespace plan
