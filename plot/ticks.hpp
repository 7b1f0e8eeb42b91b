// An axis of a plot: its range (padded around the data) and its ticks, which must be readable
// whatever the data: steps of 1, 2 or 5 times a power of ten on a linear axis; decades on a wide
// log axis, with 2 and 5 between them over under 2.5 decades, finer steps within one decade, and
// evenly spaced values on a log axis too narrow for three of those (a loss from 4.3 to 5.5).
#pragma once

#include <string>
#include <vector>

namespace plan::plot {

struct Axis {
    bool log = false;
    double lo = 0, hi = 1;  // in axis units (log10 of the value on a log axis)
    double to_unit(double v) const;
    std::vector<double> ticks() const;  // in data units, increasing
};

// The axis over data from `min` to `max` (positive on a log axis), padded by 5% each side; a
// single value gets a range around it.
Axis make_axis(bool log, double min, double max);

// Ticks at the finest steps of 1, 2 or 5 times a power of ten that give at most nine over [a, b].
std::vector<double> linear_ticks(double a, double b);

// A tick's text: from 1e4 up (and below 1e-4) as "1.5e5", other values plainly ("4.6", "1500").
std::string tick_label(double v);

}  // namespace plan::plot
