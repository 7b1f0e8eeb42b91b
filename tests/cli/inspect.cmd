# plan inspect: a model's card from a folder, a config.json or a stdlib model name; --json.
plan inspect tests/configs/llama3_8b
plan inspect tests/configs/mixtral_8x7b/config.json
plan inspect tests/configs/mamba_130m
plan inspect llama2_70b
plan inspect --json tests/configs/gpt2
# Mistakes: a name that is no model, a path that is neither.
plan inspect llama9
plan inspect 'no/such/config.json'
