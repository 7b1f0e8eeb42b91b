// What each kind of sweep item means, written once. Every backend walks a checked sweep's items
// with walk_items and its own primitives (the interpreter evaluates values; the JIT emits code for
// them; replaying a failing point binds the axes it was given), so a new kind of item is added here
// and to the primitives, and nowhere else decides what an item does.
#pragma once
#include <cstddef>
#include <vector>

#include "interpreter/checked.hpp"

namespace plan {

// A walk's target provides, for the item at index `item` of the sweep:
//   V value(int item)                  its expression's value at the point being walked
//   void bind(int item, V)             a let: its slot holds the value from here on
//   bool require(int item, V)          a constraint: false drops the point and every point below it
//                                      (a target that branches instead returns true)
//   void key(int item, V)              the first objective: the key of `report top`
//   void axis(int item, Rest rest)     an axis: for each item of its list bound to its slot, rest();
//                                      an axis bound already (a flattened loop) calls rest() once
//   void feasible()                    the point passed every constraint
template <class Target>
void walk_items(const CheckedSweep& sweep, size_t from, Target& target) {
    using Kind = CheckedSweep::Item::Kind;
    for (size_t i = from; i < sweep.items.size(); ++i) {
        const int item = static_cast<int>(i);
        switch (sweep.items[i].kind) {
            case Kind::Axis:
                // The items after an axis are its body.
                target.axis(item, [&sweep, &target, i] { walk_items(sweep, i + 1, target); });
                return;
            case Kind::Let: target.bind(item, target.value(item)); break;
            case Kind::Constraint:
                if (!target.require(item, target.value(item))) return;
                break;
            case Kind::Objective: target.key(item, target.value(item)); break;
        }
    }
    target.feasible();
}

// The indices of the sweep's axes among its items, outermost first.
std::vector<int> axis_items(const CheckedSweep& sweep);

// Whether `e` reads a local of the sweep (not counting those bound inside it by comprehensions
// and blocks): a list that does not is known before the sweep runs.
bool reads_sweep_locals(const TExpr& e);

}  // namespace plan
