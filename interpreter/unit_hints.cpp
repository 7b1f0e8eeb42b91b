#include "interpreter/unit_hints.hpp"

#include "grammar/diagnostic.hpp"

namespace plan {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// `Gb` → `Gbit` when `Gbit` is a unit: the common abbreviation of bits, which plan spells `bit`.
std::string as_bits(const std::string& name, const UnitTable& units) {
    if (!ends_with(name, "b")) return "";
    std::string bits = name.substr(0, name.size() - 1) + "bit";
    return units.find_unit(bits) ? bits : "";
}

std::string bits_note(const std::string& name, const std::string& bits, const UnitTable& units) {
    std::string bytes = name.substr(0, name.size() - 1) + "B";
    std::string note = "`" + name + "` is usually read as bits: plan writes bits as `bit` (`" + bits +
                       "`, an eighth of a byte)";
    if (units.find_unit(bytes)) note += " and bytes as `B` (`" + bytes + "`)";
    return note;
}

}  // namespace

UnitHint unit_hint(const std::string& name, const UnitTable& units, const std::vector<std::string>& names) {
    // `TFLOPS`: operations per second, written `TFLOP/s`; `TFLOPs` may also be a count.
    for (const char* s : {"S", "s"}) {
        if (!ends_with(name, s)) continue;
        std::string stem = name.substr(0, name.size() - 1);
        if (!ends_with(stem, "FLOP") || !units.find_unit(stem)) continue;
        if (std::string(s) == "S")
            return {"did you mean `" + stem + "/s`?", "`" + name + "` is a rate: plan writes operations per second as `" + stem + "/s`"};
        return {"did you mean `" + stem + "/s` (a rate) or `" + stem + "` (a count)?", ""};
    }
    // `Gbps`, `GBps`: per second.
    for (const char* s : {"ps", "PS"}) {
        if (!ends_with(name, s)) continue;
        std::string stem = name.substr(0, name.size() - 2);
        if (std::string bits = as_bits(stem, units); !bits.empty())
            return {"did you mean `" + bits + "/s`?", bits_note(stem, bits, units)};
        if (units.find_unit(stem)) return {"did you mean `" + stem + "/s`?", ""};
    }
    if (std::string bits = as_bits(name, units); !bits.empty())
        return {"did you mean `" + bits + "`?", bits_note(name, bits, units)};
    return {did_you_mean(name, names), ""};
}

}  // namespace plan
