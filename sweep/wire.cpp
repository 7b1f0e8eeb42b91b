#include "sweep/wire.hpp"

#include <cstring>
#include <stdexcept>

#include "interpreter/sweep_items.hpp"

namespace plan::sweep {

namespace {

class Writer {
public:
    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    void put_doubles(const std::vector<double>& xs) {
        put<uint64_t>(xs.size());
        bytes_.append(reinterpret_cast<const char*>(xs.data()), xs.size() * sizeof(double));
    }
    void put_text(const std::string& text) {
        put<uint64_t>(text.size());
        bytes_ += text;
    }
    std::string take() { return std::move(bytes_); }

private:
    std::string bytes_;
};

class Reader {
public:
    explicit Reader(const std::string& bytes) : bytes_(bytes) {}
    template <class T>
    T get() {
        T value;
        std::memcpy(&value, take(sizeof value), sizeof value);
        return value;
    }
    std::vector<double> get_doubles() {
        std::vector<double> xs(get<uint64_t>());
        if (!xs.empty()) std::memcpy(xs.data(), take(xs.size() * sizeof(double)), xs.size() * sizeof(double));
        return xs;
    }
    std::string get_text() {
        size_t n = get<uint64_t>();
        return std::string(take(n), n);
    }

private:
    const char* take(size_t n) {
        if (n > bytes_.size() - at_) throw std::runtime_error("a rank's sweep results are truncated");
        const char* p = bytes_.data() + at_;
        at_ += n;
        return p;
    }
    const std::string& bytes_;
    size_t at_ = 0;
};

}  // namespace

std::string encode_ranges(const std::vector<RangeResult>& ranges, const StringTable& strings) {
    Writer w;
    w.put<uint64_t>(strings.size());
    for (size_t i = 0; i < strings.size(); ++i) w.put_text(strings.text(static_cast<double>(i)));
    w.put<uint64_t>(ranges.size());
    for (const RangeResult& r : ranges) {
        w.put(r.lo);
        w.put(r.hi);
        w.put(r.status);
        w.put(r.feasible);
        w.put<uint8_t>(r.overflow);
        w.put_doubles(r.error);
        w.put<uint64_t>(r.reports.size());
        for (const std::vector<Row>& rows : r.reports) {
            w.put<uint64_t>(rows.size());
            for (const Row& row : rows) {
                w.put(row.key);
                w.put(row.order);
                w.put_doubles(row.cells);
            }
        }
    }
    return w.take();
}

void decode_ranges(const std::string& bytes, const CheckedSweep& sweep, StringTable& strings, std::vector<RangeResult>& out) {
    Reader in(bytes);
    std::vector<double> renumber(in.get<uint64_t>());
    for (double& id : renumber) id = strings.id(in.get_text());
    // Axis values past the failing item were never bound: whatever they hold is left alone.
    auto own = [&](double id) { return id >= 0 && id < static_cast<double>(renumber.size()) ? renumber[static_cast<size_t>(id)] : id; };
    const std::vector<int> axes = axis_items(sweep);
    for (size_t n = in.get<uint64_t>(); n > 0; --n) {
        RangeResult r;
        r.lo = in.get<int64_t>();
        r.hi = in.get<int64_t>();
        r.status = in.get<int32_t>();
        r.feasible = in.get<uint64_t>();
        r.overflow = in.get<uint8_t>() != 0;
        r.error = in.get_doubles();
        for (size_t a = 0; a + 1 < r.error.size() && a < axes.size(); ++a)
            if (sweep.items[static_cast<size_t>(axes[a])].expr->type.elem->is(Type::Kind::String)) r.error[a + 1] = own(r.error[a + 1]);
        r.reports.resize(in.get<uint64_t>());
        for (std::vector<Row>& rows : r.reports) {
            rows.resize(in.get<uint64_t>());
            for (Row& row : rows) {
                row.key = in.get<double>();
                row.order = in.get<uint64_t>();
                row.cells = in.get_doubles();
                for (size_t c = 0; c < row.cells.size() && c < sweep.columns.size(); ++c)
                    if (sweep.columns[c].type.is(Type::Kind::String)) row.cells[c] = own(row.cells[c]);
            }
        }
        out.push_back(std::move(r));
    }
}

}  // namespace plan::sweep
