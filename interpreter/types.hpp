// Static types of the checked program. Numbers carry their dimension and a display hint (the
// units the user wrote); the hint never affects equality.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "interpreter/units.hpp"

namespace plan {

struct RecordType;

struct Type {
    enum class Kind { Number, Bool, String, List, Record, Any };
    Kind kind = Kind::Any;
    Dim dim;
    UnitTerm hint;
    std::shared_ptr<const Type> elem;           // List
    std::shared_ptr<const RecordType> record;   // Record

    static Type number(Dim d, UnitTerm hint = {}) {
        Type t;
        t.kind = Kind::Number;
        t.dim = d;
        t.hint = std::move(hint);
        return t;
    }
    static Type boolean() { return simple(Kind::Bool); }
    static Type string() { return simple(Kind::String); }
    static Type any() { return simple(Kind::Any); }
    static Type list(Type elem) {
        Type t = simple(Kind::List);
        t.elem = std::make_shared<const Type>(std::move(elem));
        return t;
    }
    static Type simple(Kind k) {
        Type t;
        t.kind = k;
        return t;
    }
    bool is(Kind k) const { return kind == k; }
};

struct RecordType {
    std::vector<std::string> names;
    std::vector<Type> types;
    std::string keyword;  // "model", "hardware" or empty
    int find(const std::string& name) const {
        for (size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return static_cast<int>(i);
        return -1;
    }
};

// A record type with these fields, in order (natives build their results with it).
inline Type record_type(const std::vector<std::pair<std::string, Type>>& fields) {
    auto record = std::make_shared<RecordType>();
    for (auto& [name, type] : fields) {
        record->names.push_back(name);
        record->types.push_back(type);
    }
    Type t = Type::simple(Type::Kind::Record);
    t.record = std::move(record);
    return t;
}

// Same type, ignoring display hints. Any matches everything (it stands for "not yet known").
bool same_type(const Type& a, const Type& b);
// "Data", "Bool", "List<Time>", "{ layers: Scalar, memory: Data }"
std::string type_name(const Type& t, const UnitTable& units);

}  // namespace plan
