#include "interpreter/sweep_items.hpp"

#include <algorithm>

namespace plan {

namespace {

// `bound`: the slots bound inside the expression so far.
bool reads_sweep_locals(const TExpr& e, std::vector<int>& bound) {
    if (e.op == Op::Local) return std::find(bound.begin(), bound.end(), e.slot) == bound.end();
    size_t mark = bound.size();
    if (e.op == Op::Comprehension) {
        if (reads_sweep_locals(*e.kids[1], bound)) return true;
        bound.push_back(e.slot);
        bool reads = reads_sweep_locals(*e.kids[0], bound) || (e.kids.size() > 2 && reads_sweep_locals(*e.kids[2], bound));
        bound.resize(mark);
        return reads;
    }
    if (e.op == Op::Block) bound.insert(bound.end(), e.slots.begin(), e.slots.end());
    bool reads = std::any_of(e.kids.begin(), e.kids.end(), [&](auto& k) { return reads_sweep_locals(*k, bound); });
    bound.resize(mark);
    return reads;
}

}  // namespace

std::vector<int> axis_items(const CheckedSweep& sweep) {
    std::vector<int> axes;
    for (size_t i = 0; i < sweep.items.size(); ++i)
        if (sweep.items[i].kind == CheckedSweep::Item::Kind::Axis) axes.push_back(static_cast<int>(i));
    return axes;
}

bool reads_sweep_locals(const TExpr& e) {
    std::vector<int> bound;
    return reads_sweep_locals(e, bound);
}

}  // namespace plan
