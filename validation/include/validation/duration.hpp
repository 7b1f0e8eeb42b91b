// "m:ss" or "h:mm:ss" for a progress line; "?" when unknown or absurd.
#pragma once
#include <cstdio>
#include <string>

namespace plan::validation {

inline std::string format_duration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e7) return "?";
    const long t = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

}  // namespace plan::validation
