// plot(path, options, series...): a line or scatter plot of series of quantities, written as SVG
// or PNG (plot/). stdlib/plots.plan builds the options (plot_options) and the series (plot_series)
// with named arguments and defaults.
//
// The static check knows what the values do not: each series' dimensions, so two series whose x
// (or y) differ in dimension are an error at the second one before anything runs, and each axis
// is labelled with the unit its quantities are shown in (the unit the user wrote, autoscaled as
// `print` would), read back from the call's argument types when it runs.
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "interpreter/checked.hpp"
#include "interpreter/units.hpp"
#include "plot/png.hpp"
#include "plot/write.hpp"
#include "stdlib/native/natives.hpp"

namespace plan {

namespace {

constexpr const char* kOptionFields[] = {"title", "x_label", "y_label", "log_x", "log_y", "width", "height"};
enum OptionField { kTitle, kXLabel, kYLabel, kLogX, kLogY, kWidth, kHeight };
constexpr const char* kSeriesFields[] = {"name", "x", "y", "style"};
enum SeriesField { kName, kX, kY, kStyle };

bool has_fields(const Type& t, const char* const* names, size_t count) {
    if (!t.is(Type::Kind::Record) || !t.record || t.record->names.size() != count) return false;
    for (size_t i = 0; i < count; ++i)
        if (t.record->names[i] != names[i]) return false;
    return true;
}

bool is_series(const Type& t) {
    if (!has_fields(t, kSeriesFields, std::size(kSeriesFields))) return false;
    const auto& f = t.record->types;
    auto numbers = [](const Type& l) { return l.is(Type::Kind::List) && l.elem && l.elem->is(Type::Kind::Number); };
    return f[kName].is(Type::Kind::String) && numbers(f[kX]) && numbers(f[kY]) && f[kStyle].is(Type::Kind::String);
}

// A series argument: one series, or a list of them (one per compute budget, from a comprehension).
const Type* series_of(const Type& arg) {
    if (is_series(arg)) return &arg;
    if (arg.is(Type::Kind::List) && arg.elem && is_series(*arg.elem)) return arg.elem.get();
    return nullptr;
}
const Type& x_type(const Type& series) { return *series.record->types[kX].elem; }
const Type& y_type(const Type& series) { return *series.record->types[kY].elem; }

Type check_plot(const BuiltinCall& c) {
    auto name = [&](size_t i) { return type_name(c.args[i], c.units); };
    const Type& path = c.args[0];
    if (!path.is(Type::Kind::String) && !(path.is(Type::Kind::List) && path.elem && path.elem->is(Type::Kind::String)))
        builtin_fail(Code::NeedsString, fmt::format("`plot` needs the path of the picture as a String (or a list of them), not {}", name(0)),
                     c.arg_spans[0], name(0), "a path ending in .svg or .png");
    bool options = true;
    if (has_fields(c.args[1], kOptionFields, std::size(kOptionFields))) {
        const auto& f = c.args[1].record->types;
        for (int i : {kTitle, kXLabel, kYLabel}) options = options && f[i].is(Type::Kind::String);
        for (int i : {kLogX, kLogY}) options = options && f[i].is(Type::Kind::Bool);
        for (int i : {kWidth, kHeight}) options = options && f[i].is(Type::Kind::Number) && f[i].dim.none();
    } else {
        options = false;
    }
    if (!options)
        builtin_fail(Code::ArgumentType, fmt::format("`plot` needs its options as plot_options(...), not {}", name(1)), c.arg_spans[1],
                     name(1), "plot_options(title = \"...\", log_x = true) gives them, with defaults for the rest");
    const Type* first = nullptr;
    for (size_t i = 2; i < c.args.size(); ++i) {
        const Type* s = series_of(c.args[i]);
        if (!s)
            builtin_fail(Code::NotAPlotSeries, fmt::format("`plot` draws series made by plot_series(name, x, y), not {}", name(i)),
                         c.arg_spans[i], name(i), "plot_series(\"name\", xs, ys) makes one from two lists of quantities");
        if (!first) {
            first = s;
            continue;
        }
        for (bool x : {true, false}) {
            const Dim& want = (x ? x_type(*first) : y_type(*first)).dim;
            const Dim& got = (x ? x_type(*s) : y_type(*s)).dim;
            if (!(want == got))
                builtin_fail(Code::PlotSeriesDimensions,
                             fmt::format("the {} values of this series are {}, but those of the first series are {}: one axis has one "
                                         "dimension",
                                         x ? "x" : "y", c.units.dimension_name(got), c.units.dimension_name(want)),
                             c.arg_spans[i], fmt::format("{} in {}", x ? "x" : "y", c.units.dimension_name(got)),
                             "plot them on two plots, or convert one of them");
        }
    }
    return Type::list(Type::string());
}

[[noreturn]] void fail_at(Code code, const std::string& msg, Span at, std::string help = {}) {
    builtin_fail(code, msg, at, "", std::move(help));
}

// An axis's unit: the one its first series is shown in (its hint, autoscaled for the largest
// value, as print shows it), and the factor from SI to it.
struct AxisUnit {
    std::string text;
    double factor = 1;
};

AxisUnit axis_unit(const Type& t, double largest, const UnitTable& units) {
    UnitTerm term = units.display_term(t.hint, t.dim, largest);
    return {units.text(term), term.empty() ? 1.0 : units.factor(term)};
}

std::string label(const std::string& text, const AxisUnit& unit) {
    return unit.text.empty() ? text : fmt::format("{} ({})", text, unit.text);
}

std::filesystem::path beside_caller(const std::string& path, const CallSite& at) {
    std::filesystem::path p(path);
    std::string file(at.origin_file);
    if (p.is_absolute() || file.empty() || file.front() == '<') return p;
    return (std::filesystem::path(file).parent_path() / p).lexically_normal();
}

Value eval_plot(const std::vector<Value>& a, const CallSite& at) {
    // A compiled sweep folding a call of constants has no types at hand: the interpreter's replay
    // of the point (which has them) runs it instead.
    if (!at.expr || !at.units) fail_at(Code::JitUnsupported, "`plot` runs on the interpreter only", at.span);
    const UnitTable& units = *at.units;

    std::vector<std::string> paths;
    if (at.arg_type(0).is(Type::Kind::String)) {
        paths.push_back(a[0].str());
    } else {
        for (const Value& p : a[0].list().items) paths.push_back(p.str());
    }
    if (paths.empty()) fail_at(Code::PlotDataUnusable, "`plot` has no path to write", at.arg_span(0), "a path ending in .svg or .png");
    for (const std::string& p : paths)
        if (plot::format_of(p).empty())
            fail_at(Code::PlotFormatUnknown, fmt::format("'{}' does not end in .svg or .png, so plot does not know what to write", p),
                    at.arg_span(0), "name the file NAME.svg or NAME.png (or give a list of both)");
        else if (plot::format_of(p) == "png" && !plot::png_supported())
            fail_at(Code::PngUnsupported, fmt::format("this build of plan cannot write PNG files such as '{}'", p), at.arg_span(0),
                    "write an .svg, or rebuild plan with librsvg (apt-get install librsvg2-dev; PLAN_PNG=ON)");

    const auto& o = a[1].record().fields;
    plot::Plot pl;
    pl.log_x = o[kLogX].truth();
    pl.log_y = o[kLogY].truth();
    pl.title = o[kTitle].str();
    for (int i : {kWidth, kHeight}) {
        double v = o[i].num();
        if (v != std::floor(v) || v < plot::kMinSize || v > plot::kMaxSize)
            fail_at(Code::PlotDataUnusable, fmt::format("a plot's {} is a whole number of pixels from {} to {}, not {}", i == kWidth ? "width" : "height",
                                                 plot::kMinSize, plot::kMaxSize, format_number(v, false)),
                    at.arg_span(1));
        (i == kWidth ? pl.width : pl.height) = static_cast<int>(v);
    }

    // The series, flattened (a list argument gives several), with the argument each came from.
    std::vector<const Value*> series;
    std::vector<size_t> from_arg;
    const Type* first = nullptr;
    for (size_t i = 2; i < a.size(); ++i) {
        const Type& t = at.arg_type(i);
        if (!first) first = series_of(t);
        if (is_series(t)) {
            series.push_back(&a[i]);
            from_arg.push_back(i);
        } else {
            if (a[i].list().items.empty())
                fail_at(Code::PlotDataUnusable, "this list of series is empty", at.arg_span(i), "a plot needs at least one series with points");
            for (const Value& s : a[i].list().items) {
                series.push_back(&s);
                from_arg.push_back(i);
            }
        }
    }
    if (!first) fail_at(Code::PlotDataUnusable, "`plot` has no series to draw", at.span, "plot(path, plot_options(), plot_series(\"name\", xs, ys))");

    double x_largest = 0, y_largest = 0;
    for (const Value* s : series) {
        for (const Value& v : s->record().fields[kX].list().items) x_largest = std::max(x_largest, std::abs(v.num()));
        for (const Value& v : s->record().fields[kY].list().items) y_largest = std::max(y_largest, std::abs(v.num()));
    }
    AxisUnit xu = axis_unit(x_type(*first), x_largest, units), yu = axis_unit(y_type(*first), y_largest, units);
    pl.x_label = label(o[kXLabel].str(), xu);
    pl.y_label = label(o[kYLabel].str(), yu);

    for (size_t k = 0; k < series.size(); ++k) {
        const auto& f = series[k]->record().fields;
        plot::PlotSeries s;
        s.name = f[kName].str();
        const std::string& style = f[kStyle].str();
        if (style != "line" && style != "scatter" && style != "both")
            fail_at(Code::PlotDataUnusable, fmt::format("series '{}' has the style \"{}\"; a style is \"line\", \"scatter\" or \"both\"", s.name, style),
                    at.arg_span(from_arg[k]));
        s.line = style != "scatter";
        s.markers = style != "line";
        for (const Value& v : f[kX].list().items) s.x.push_back(v.num() / xu.factor);
        for (const Value& v : f[kY].list().items) s.y.push_back(v.num() / yu.factor);
        if (s.x.empty())
            fail_at(Code::PlotDataUnusable, fmt::format("series '{}' has no points", s.name), at.arg_span(from_arg[k]),
                    "a plot draws every series given; leave an empty one out");
        pl.series.push_back(std::move(s));
    }

    std::vector<Value> written;
    for (const std::string& p : paths) {
        try {
            plot::write_plot(pl, beside_caller(p, at).string(), at.access());
        } catch (const plot::PlotError& e) {
            fail_at(Code::PlotDataUnusable, e.what(), e.series >= 0 ? at.arg_span(from_arg[static_cast<size_t>(e.series)]) : at.span);
        } catch (const files::FileError& e) {
            file_fail(e, at.arg_span(0), "", true);
        } catch (const std::exception& e) {
            fail_at(Code::CannotWrite, e.what(), at.arg_span(0), "a relative path is found beside the calling file");
        }
        written.push_back(Value::string(p));
    }
    return make_list(std::move(written));
}

}  // namespace

std::vector<Builtin> plot_natives() {
    return {
        {"plot", "plot(path, options, series...)",
         "Writes a plot of the series to `path` (.svg, or .png: the same SVG rasterised by librsvg; a list of paths writes each) "
         "and returns the paths written. `options` is plot_options(title, x_label, y_label, log_x, log_y, width, height); each "
         "series is plot_series(name, x, y, style) or a list of them. Every series shares the x dimension and the y dimension; "
         "each axis is labelled with the unit its values are shown in. A relative path is found beside the calling file; a file "
         "whose content would not change is not rewritten.",
         3, -1, check_plot, eval_plot},
    };
}

}  // namespace plan
