# plan explain: what a code means, with an example of the mistake and its fix; alone, every code.
plan explain E0101
plan explain e0704
plan explain E0519
plan explain
# An unknown code is an error that suggests the closest one.
plan explain E0110x
plan explain 0201
plan explain nonsense
