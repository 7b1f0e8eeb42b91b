// The fitting code of fitting.cpp on data already in memory, shared by the CSV natives there and
// the natives over training runs in training.cpp (so both go through the same code paths).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/builtins.hpp"

namespace plan::fitting {

// The record type of a Chinchilla fit (a scaling-law record of stdlib/scaling.plan plus rows,
// objective and bootstrap intervals) and of a frontier regression.
Type fit_type();
Type frontier_type();

// Approach 3 fit of rows (N, D, L), all positive; drops the `drop` rows of highest loss, then
// `samples` bootstrap resamples. `source` names the data in the record's `source`, `note` is
// appended to it. Errors are diagnostics at `at`.
Value fit_chinchilla_data(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l, size_t drop,
                          size_t samples, uint64_t seed, const std::string& source, const std::string& note, const CallSite& at);

// The rows on the compute frontier (C = 6 N D; per level of C the row of lowest loss; levels are
// bins of log10 C, `bins` per decade, or equal C when 0), in increasing C.
std::vector<size_t> frontier_indices(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l,
                                     double bins);

// The frontier regression record (see fit_frontier_csv) of rows (N, D, L).
Value fit_frontier_data(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& l, double bins,
                        const std::string& source, const CallSite& at);

}  // namespace plan::fitting
