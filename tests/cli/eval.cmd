# plan eval: one expression with the prelude, printed; --json for machines.
plan eval '1 PFLOP/s * 1 day -> FLOP'
plan eval --json '70e9 * 2 B -> GiB'
plan eval '80 GB + 3 s'
plan eval --json '{ layers = 12, memory = 80 GB }'
plan eval --json '3 > 2'
plan eval 'let x = 5'
plan eval '1 / 0'
plan eval '7B * 2 B/param -> GiB'
