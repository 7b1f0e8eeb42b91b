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

// `leaves` counts the numbers, booleans and strings a list or record holds, through nested lists
// and records (a shared item counted each time it appears): the evaluator bounds it, so a list of
// lists is limited by the product of their lengths, not by each length alone.
struct ListValue {
    std::vector<Value> items;
    size_t leaves = 0;
};
struct RecordValue {
    std::vector<Value> fields;  // in the order of the record type's names
    size_t leaves = 0;
};

inline size_t leaves(const Value& v) {
    if (auto* l = std::get_if<std::shared_ptr<const ListValue>>(&v.v)) return (*l)->leaves;
    if (auto* r = std::get_if<std::shared_ptr<const RecordValue>>(&v.v)) return (*r)->leaves;
    return 1;
}
inline size_t leaves(const std::vector<Value>& items) {
    size_t n = 0;
    for (const Value& v : items) n += leaves(v);
    return n;
}

inline Value make_list(std::vector<Value> items) {
    Value r;
    size_t n = leaves(items);
    r.v = std::make_shared<const ListValue>(ListValue{std::move(items), n});
    return r;
}
inline Value make_record(std::vector<Value> fields) {
    Value r;
    size_t n = leaves(fields);
    r.v = std::make_shared<const RecordValue>(RecordValue{std::move(fields), n});
    return r;
}

}  // namespace plan
