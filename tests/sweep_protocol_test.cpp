// The kernel protocol (sweep/kernel.hpp) on each backend, call by call: the rows, orders and
// counts a call writes are the points the enumeration gives; a full row buffer stops at a point
// and the next call resumes there; a bound drops the rows above it and keeps its ties; a failing
// point comes back as its item and axis values; the stop word stops and the progress counter
// counts. And the reports' bounds and the merge of ranges, which do not depend on who ran what.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

#include "embed/install.hpp"
#include "interpreter/session.hpp"
#include "sweep/backend.hpp"
#include "sweep/partition.hpp"
#include "sweep/report.hpp"
#include "sweep/wire.hpp"

namespace {

using plan::CheckedSweep;
using plan::Evaluator;
using plan::sweep::KernelCall;

struct Written {
    std::vector<std::vector<double>> rows;  // columns, then the key
    std::vector<int64_t> orders;
    int64_t feasible = 0;
    int32_t status = -1;
    int calls = 0;
    std::vector<double> error;
    int64_t points = 0;  // the calls' points, summed
    int over_budget = 0; // calls that left with kOverBudget
};

// Calls the kernel on [lo, hi) until its range is done, `capacity` rows and `budget` points a call
// (after kOverBudget, one call without a budget, as the driver gives one the rest of the limit).
Written call_range(const plan::sweep::CompiledSweep& code, const CheckedSweep& s, int64_t lo, int64_t hi, int64_t capacity,
                   double bound = std::numeric_limits<double>::infinity(), const int32_t* stop = nullptr, int64_t* progress = nullptr,
                   int64_t budget = std::numeric_limits<int64_t>::max()) {
    const size_t width = s.columns.size() + 1;
    std::vector<double> rows(static_cast<size_t>(capacity) * width), error(8);
    std::vector<int64_t> orders(static_cast<size_t>(capacity)), cursor(std::max<size_t>(code.cursor_size, 1));
    KernelCall call;
    call.lo = lo;
    call.hi = hi;
    call.bound = bound;
    call.capacity = capacity;
    call.stop = stop;
    call.progress = progress;
    call.rows = rows.data();
    call.orders = orders.data();
    call.cursor = cursor.data();
    call.error = error.data();
    Written w;
    do {
        call.count = 0;
        call.points = 0;
        call.budget = call.status == plan::sweep::kOverBudget ? std::numeric_limits<int64_t>::max() : budget;
        code.launch(call);
        ++w.calls;
        w.points += call.points;
        if (call.status == plan::sweep::kOverBudget) ++w.over_budget;
        for (int64_t i = 0; i < call.count; ++i) {
            w.rows.emplace_back(rows.begin() + i * static_cast<int64_t>(width), rows.begin() + (i + 1) * static_cast<int64_t>(width));
            w.orders.push_back(orders[static_cast<size_t>(i)]);
        }
        call.resume = 1;
    } while (call.status == plan::sweep::kFull || call.status == plan::sweep::kOverBudget);
    w.feasible = call.feasible;
    w.status = call.status;
    if (call.status == plan::sweep::kError) w.error = error;
    return w;
}

// Checks `code` (one sweep) and runs `body` on its checked form, on every backend of this build.
void on_each_backend(const std::string& code,
                     const std::function<void(const std::string& backend, const CheckedSweep&, Evaluator&, const plan::sweep::Space&,
                                              const plan::sweep::CompiledSweep&)>& body) {
    plan::install_extensions();
    for (const std::string& name : plan::sweep::backend_names()) {
        plan::SessionOptions options;
        std::ostringstream out;
        options.out = &out;
        int sweeps = 0;
        auto runner = [&](const CheckedSweep& s, Evaluator& eval, const plan::UnitTable&, std::ostream&, const std::string&,
                          const plan::SessionOptions&, plan::SweepHost&) {
            const plan::sweep::Space space = plan::sweep::space_of(s, eval);
            auto compiled = plan::sweep::find_backend(name)->compile(s, eval, space, true);
            body(name, s, eval, space, *compiled);
            ++sweeps;
            return plan::Value();  // these sweeps are not held by `let`
        };
        plan::CoreSession session(options, runner);
        plan::Result r = session.run("<protocol>", code, plan::Mode::Run);
        INFO(name << ": " << out.str());
        for (auto& e : r.errors) INFO(e.rendered);
        REQUIRE(r.exit_code == 0);
        REQUIRE(sweeps == 1);
    }
}

// a, divisors(4a) except where a * b is 6, then d in 1 .. a: an axis with a filter, a constraint
// between axes, an axis computed from the outer one.
const char* kGrid =
    "sweep s {\n    a in [1, 2, 3]\n    b in divisors(a * 4)\n    let c = a * b\n    constraint c != 6\n"
    "    d in [k for k in [1, 2, 3] if k <= a]\n    minimize c - d\n}\n";

std::vector<std::vector<double>> grid_rows() {
    std::vector<std::vector<double>> rows;
    for (int a = 1; a <= 3; ++a)
        for (int b = 1; b <= 4 * a; ++b) {
            if ((4 * a) % b != 0 || a * b == 6) continue;
            for (int d = 1; d <= a; ++d) rows.push_back({double(a), double(b), double(a * b), double(d), double(a * b - d), double(a * b - d)});
        }
    return rows;
}

}  // namespace

TEST_CASE("a kernel call writes every feasible point in enumeration order; a full buffer resumes where it stopped", "[protocol]") {
    const auto expected = grid_rows();
    on_each_backend(kGrid, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                               const plan::sweep::CompiledSweep& code) {
        INFO(backend);
        CHECK(space.units == 3);
        CHECK(space.pairs == 0);  // the second axis depends on the first
        for (int64_t capacity : {1000, 1, 2, 7}) {
            INFO("capacity " << capacity);
            Written w = call_range(code, s, 0, space.units, capacity);
            CHECK(w.status == plan::sweep::kDone);
            CHECK(w.rows == expected);
            CHECK(w.feasible == static_cast<int64_t>(expected.size()));
            std::vector<int64_t> orders(expected.size());
            for (size_t i = 0; i < orders.size(); ++i) orders[i] = static_cast<int64_t>(i);
            CHECK(w.orders == orders);
            // A call per buffer's worth of rows: each stops at the first row that does not fit.
            CHECK(w.calls == static_cast<int>((expected.size() + static_cast<size_t>(capacity) - 1) / static_cast<size_t>(capacity)));
        }
        // Ranges of outer items: each its own points, orders counted within the range.
        Written second = call_range(code, s, 1, 2, 1);
        std::vector<std::vector<double>> a2;
        for (auto& r : expected)
            if (r[0] == 2) a2.push_back(r);
        CHECK(second.rows == a2);
        CHECK(second.orders.front() == 0);
    });
}

TEST_CASE("ranges of (outer, second) pairs cover the grid, flattened inner axes resume exactly", "[protocol]") {
    const std::string code = "sweep s {\n    x in [1, 2]\n    y in [1, 2, 3]\n    z in [1, 2]\n    w in [1, 2, 3, 4]\n"
                             "    constraint x + y != z + w\n    minimize x * y - z * w\n}\n";
    std::vector<std::vector<double>> expected;
    for (int x = 1; x <= 2; ++x)
        for (int y = 1; y <= 3; ++y)
            for (int z = 1; z <= 2; ++z)
                for (int w = 1; w <= 4; ++w)
                    if (x + y != z + w) expected.push_back({double(x), double(y), double(z), double(w), double(x * y - z * w), double(x * y - z * w)});
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        CHECK(space.pairs == 3);
        CHECK(space.units == 6);
        CHECK(space.progress_depth == 1);
        CHECK(space.progress_total == 6);
        for (int64_t capacity : {1, 3, 100}) {
            std::vector<std::vector<double>> rows;
            int64_t feasible = 0;
            for (int64_t u = 0; u < space.units; ++u) {  // one pair at a time
                Written w = call_range(compiled, s, u, u + 1, capacity);
                REQUIRE(w.status == plan::sweep::kDone);
                rows.insert(rows.end(), w.rows.begin(), w.rows.end());
                feasible += w.feasible;
            }
            CHECK(rows == expected);
            CHECK(feasible == static_cast<int64_t>(expected.size()));
            Written uneven = call_range(compiled, s, 1, 5, capacity);  // parts of both outer items: y = 2, 3 of x = 1, y = 1, 2 of x = 2
            std::vector<std::vector<double>> part;
            for (auto& r : expected) {
                int64_t unit = static_cast<int64_t>((r[0] - 1) * 3 + (r[1] - 1));
                if (unit >= 1 && unit < 5) part.push_back(r);
            }
            CHECK(uneven.rows == part);
        }
    });
}

TEST_CASE("a call resumes in any block of a long innermost axis, with or without a bound", "[protocol]") {
    const std::string code = "sweep s {\n    x in [1, 2]\n    y in 1 .. 300 step 1\n    constraint floor(y / 7) * 7 != y\n"
                             "    minimize x * y\n}\n";
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        for (double bound : {std::numeric_limits<double>::infinity(), 150.0}) {
            Written whole = call_range(compiled, s, 0, space.units, 1000, bound);
            CHECK(whole.feasible == 2 * (300 - 42));
            for (int64_t capacity : {1, 7, 50}) {
                INFO("bound " << bound << ", capacity " << capacity);
                Written w = call_range(compiled, s, 0, space.units, capacity, bound);
                CHECK(w.rows == whole.rows);
                CHECK(w.orders == whole.orders);
                CHECK(w.feasible == whole.feasible);
            }
        }
    });
}

TEST_CASE("a bound drops the rows above it, keeps its ties, and counts every feasible point", "[protocol]") {
    const auto expected = grid_rows();
    on_each_backend(kGrid, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                               const plan::sweep::CompiledSweep& code) {
        INFO(backend);
        for (double bound : {3.0, 0.0, -1.0}) {
            Written w = call_range(code, s, 0, space.units, 2, bound);
            std::vector<std::vector<double>> kept;
            std::vector<int64_t> orders;
            for (size_t i = 0; i < expected.size(); ++i)
                if (expected[i].back() <= bound) {
                    kept.push_back(expected[i]);
                    orders.push_back(static_cast<int64_t>(i));
                }
            CHECK(w.rows == kept);
            CHECK(w.orders == orders);
            CHECK(w.feasible == static_cast<int64_t>(expected.size()));
        }
    });
}

TEST_CASE("a failing point comes back as its item and axis values, after the rows before it", "[protocol]") {
    const std::string code = "sweep s {\n    x in [3, 2, 1, 0]\n    y in [5, 6]\n    let z = 1 / (x - 1)\n    minimize z\n}\n";
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        for (int64_t capacity : {1, 10}) {
            Written w = call_range(compiled, s, 0, space.units, capacity);
            CHECK(w.status == plan::sweep::kError);
            CHECK(w.feasible == 4);  // x = 3 and 2, each with y = 5 and 6
            CHECK(w.rows.size() == 4);
            REQUIRE(w.error.size() >= 3);
            CHECK(w.error[0] == 2);  // the let
            CHECK(w.error[1] == 1);
            CHECK(w.error[2] == 5);
        }
        CHECK(space.pairs == 2);
        Written later = call_range(compiled, s, 3 * space.pairs, 4 * space.pairs, 10);  // x = 0 alone: no error there
        CHECK(later.status == plan::sweep::kDone);
        CHECK(later.feasible == 2);
    });
}

TEST_CASE("the stop word stops a call, and the progress counter counts iterations of its depth", "[protocol]") {
    const std::string code = "sweep s {\n    x in 1 .. 300 step 1\n    y in [1, 2, 3]\n    minimize x - y\n}\n";
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        CHECK(space.pairs == 0);  // 300 outer items: enough to split
        CHECK(space.progress_depth == 0);
        int32_t stop = 1;
        Written stopped = call_range(compiled, s, 0, space.units, 10, std::numeric_limits<double>::infinity(), &stop);
        CHECK(stopped.status == plan::sweep::kStopped);
        CHECK(stopped.feasible == 0);
        int64_t progress = 0;
        Written done = call_range(compiled, s, 0, space.units, 1000, std::numeric_limits<double>::infinity(), nullptr, &progress);
        CHECK(done.status == plan::sweep::kDone);
        CHECK(done.feasible == 900);
        CHECK(progress == 300);
        CHECK(space.progress_total == 300);
    });
}

TEST_CASE("a range's bound is strict for its own rows, the shared one lets ties through", "[protocol]") {
    CheckedSweep::Report top{CheckedSweep::Report::Kind::Top, nullptr, {}, {}, "", {}};
    plan::sweep::ReportState report(top, 2);
    std::vector<plan::sweep::ReportState> reports{report};
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(plan::sweep::range_bound(reports) == inf);  // not full: every point may enter
    double cells[1] = {0};
    reports[0].offer(5, 0, cells, 1);
    reports[0].offer(3, 1, cells, 1);
    reports[0].offer(7, 2, cells, 1);
    CHECK(reports[0].kth_key() == 5);
    CHECK(plan::sweep::range_bound(reports) == std::nextafter(5.0, -inf));
    CHECK(plan::sweep::kth_bound(reports) == 5);
    reports[0].offer(5, 3, cells, 1);  // a tie comes later: it stays out
    auto rows = reports[0].take_rows();
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].order == 0);
}

TEST_CASE("ranges merged in enumeration order give the reports of one range, however the space is cut", "[protocol]") {
    const std::string code = "sweep s {\n    a in 1 .. 40 step 1\n    b in 1 .. 30 step 1\n    let v = floor(a * b / 7)\n"
                             "    constraint v != 3\n    minimize v\n    report top 25\n    report pareto(a, v)\n    report all\n}\n";
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator& eval, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        auto run = [&](int workers) {
            std::vector<plan::sweep::RangeResult> results;
            for (auto range : plan::sweep::cut(space, workers)) {
                std::vector<plan::sweep::ReportState> reports = plan::sweep::initial_reports(s, eval);
                Written w = call_range(compiled, s, range.lo, range.hi, 64);
                plan::sweep::RangeResult r;
                r.lo = range.lo;
                r.hi = range.hi;
                r.status = w.status;
                r.feasible = static_cast<uint64_t>(w.feasible);
                for (size_t i = 0; i < w.rows.size(); ++i)
                    for (auto& report : reports)
                        report.offer(w.rows[i].back(), static_cast<uint64_t>(w.orders[i]), w.rows[i].data(), s.columns.size());
                for (auto& report : reports) r.reports.push_back(report.take_rows());
                results.push_back(std::move(r));
            }
            return plan::sweep::merge_ranges(plan::sweep::initial_reports(s, eval), results);
        };
        plan::sweep::Merged one = run(1);
        CHECK(one.feasible == 40 * 30 - 29);  // 29 points have v = 3
        for (int workers : {2, 3, 16}) {
            plan::sweep::Merged many = run(workers);
            CHECK(many.feasible == one.feasible);
            for (size_t r = 0; r < one.reports.size(); ++r) {
                REQUIRE(many.reports[r].size() == one.reports[r].size());
                for (size_t i = 0; i < one.reports[r].size(); ++i) {
                    CHECK(many.reports[r][i].order == one.reports[r][i].order);
                    CHECK(many.reports[r][i].cells == one.reports[r][i].cells);
                }
            }
        }
    });
}

// What the ranks of an MPI job send rank 0 (sweep/wire.hpp): every field of a range comes back,
// and strings come back as the same texts under the receiver's own numbering.
TEST_CASE("range results travel as bytes; strings are renumbered by text", "[sweep][protocol][mpi]") {
    using namespace plan::sweep;
    on_each_backend("sweep s {\n    p in [\"fp8\", \"bf16\"]\n    n in [1, 2]\n    minimize n\n}\n",
                    [](const std::string&, const CheckedSweep& s, Evaluator&, const Space&, const CompiledSweep&) {
        REQUIRE(s.columns.size() == 2);
        REQUIRE(s.columns[0].name == "p");
        StringTable sender;
        sender.id("unrelated");
        const double fp8 = sender.id("fp8"), bf16 = sender.id("bf16");
        RangeResult range;
        range.lo = 4;
        range.hi = 9;
        range.status = kError;
        range.feasible = 3;
        range.overflow = true;
        range.error = {1, bf16, 2};
        range.reports = {{Row{-1.5, 2, {fp8, 1}}, Row{0.5, 7, {bf16, 2}}}};
        const std::string bytes = encode_ranges({range}, sender);

        StringTable receiver;
        receiver.id("bf16");
        std::vector<RangeResult> got;
        decode_ranges(bytes, s, receiver, got);
        REQUIRE(got.size() == 1);
        const RangeResult& r = got[0];
        CHECK(r.lo == 4);
        CHECK(r.hi == 9);
        CHECK(r.status == kError);
        CHECK(r.feasible == 3);
        CHECK(r.overflow);
        REQUIRE(r.error.size() == 3);
        CHECK(receiver.text(r.error[1]) == "bf16");
        CHECK(r.error[2] == 2);
        REQUIRE(r.reports.size() == 1);
        REQUIRE(r.reports[0].size() == 2);
        CHECK(receiver.text(r.reports[0][0].cells[0]) == "fp8");
        CHECK(receiver.text(r.reports[0][1].cells[0]) == "bf16");
        CHECK(r.reports[0][0].cells[0] != fp8);  // the receiver numbers its strings its own way
        CHECK(r.reports[0][1].cells[1] == 2);
        CHECK(r.reports[0][0].key == -1.5);
        CHECK(r.reports[0][1].order == 7);

        std::vector<RangeResult> cut_short;
        CHECK_THROWS(decode_ranges(bytes.substr(0, bytes.size() - 3), s, receiver, cut_short));
    });
}

TEST_CASE("a call counts the points of the innermost loops it enters, and leaves before one passes its budget", "[protocol][limits]") {
    // 10 + 20 + 30 + 40 points, the innermost axis computed from the outer one.
    const std::string code = "sweep s {\n    n in [10, 20, 30, 40]\n    k in 1 .. n step 1\n    constraint n + k != 25\n"
                             "    minimize n * k\n}\n";
    on_each_backend(code, [&](const std::string& backend, const CheckedSweep& s, Evaluator&, const plan::sweep::Space& space,
                              const plan::sweep::CompiledSweep& compiled) {
        INFO(backend);
        Written whole = call_range(compiled, s, 0, space.units, 1000);
        CHECK(whole.points == 100);
        CHECK(whole.calls == 1);
        CHECK(whole.feasible == 99);
        // 25 a call: n = 10; n = 20 (10 + 20 would pass it); n = 30 alone passes it (kOverBudget,
        // then a call without a budget takes the rest).
        Written paced = call_range(compiled, s, 0, space.units, 1000, std::numeric_limits<double>::infinity(), nullptr, nullptr, 25);
        CHECK(paced.calls == 4);
        CHECK(paced.over_budget == 1);
        CHECK(paced.points == 100);
        CHECK(paced.rows == whole.rows);
        CHECK(paced.orders == whole.orders);
        CHECK(paced.feasible == whole.feasible);
        // With a full row buffer too (a row a call): the same points, each counted once.
        Written both = call_range(compiled, s, 0, space.units, 1, std::numeric_limits<double>::infinity(), nullptr, nullptr, 25);
        CHECK(both.points == 100);
        CHECK(both.rows == whole.rows);
        CHECK(both.feasible == whole.feasible);
    });
}
