# plan eval: one expression with the prelude, printed; --json for machines.
plan eval '1 PFLOP/s * 1 day -> FLOP'
plan eval --json '70e9 * 2 B -> GiB'
plan eval '80 GB + 3 s'
plan eval --json '{ layers = 12, memory = 80 GB }'
plan eval --json '3 > 2'
plan eval 'let x = 5'
plan eval '1 / 0'
plan eval '7B * 2 B/param -> GiB'
# plan eval loads the whole stdlib: the sizing functions need no `use`.
plan eval --json 'params(hf_model("tests/configs/gpt2/config.json"))'
plan eval 'training_flops(llama2_7b, 2T) -> PF_day'
plan eval --json 'optimal(chinchilla, 5.76e23 FLOP)'
# --precision: significant digits of the numbers shown; counts stay exact.
plan eval --precision 3 '16195.8 ms -> s'
plan eval --precision 12 '1 / 3 * 1 s'
plan eval --precision 3 '7B + 1'
plan eval --precision 0 '1 s'
