# Plural spellings of units: valid after a number and after `->`, reserving no name.
plan eval '2 days + 3 hours -> h'
plan eval '90 minutes + 30 seconds -> min'
plan eval '2 weeks -> days'
plan eval '1 years -> months'
plan eval '5 bytes + 16 bits'
plan eval '300B tokens * 6 FLOP/param/token * 7B param -> FLOP'
plan eval '512 GPUs * 3 days -> GPU_hours'
plan eval '250 cents'
plan eval 'let tokens = 300B; tokens * 2'
plan eval 'let days = 2; days * 1 day'
# `params` is the function params(model), not a unit
plan eval '7B params'
