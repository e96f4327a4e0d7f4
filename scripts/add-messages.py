#!/usr/bin/env python3
"""Adds messages to one area of the catalogue, English and French side by side.

    python3 scripts/add-messages.py AREA <<'JSON'
    {"save_button": ["Save", "Enregistrer"],
     "tasks_count": {"plural": "count", "en": ["{count} task", "{count} tasks"], "fr": ["{count} tâche", "{count} tâches"]}}
    JSON

A plain pair is [English, French]. A plural names its number input and gives [one, other]
per language (French counts 0 and 1 as one); its other inputs are listed in "inputs". Existing keys are replaced; files stay sorted.
"""
import json, sys, pathlib

area = sys.argv[1]
new = json.load(sys.stdin)
root = pathlib.Path(__file__).resolve().parent.parent / 'messages'

def plural(var, one, other, inputs=()):
    return [{
        'declarations': [f'input {var}', *(f'input {name}' for name in inputs), f'local {var}Plural = {var}: plural'],
        'selectors': [f'{var}Plural'],
        'match': {f'{var}Plural=one': one, f'{var}Plural=other': other},
    }]

for index, locale in enumerate(['en', 'fr']):
    path = root / locale / f'{area}.json'
    data = json.loads(path.read_text()) if path.exists() else {}
    for key, value in new.items():
        if isinstance(value, dict):
            one, other = value[locale]
            data[key] = plural(value['plural'], one, other, value.get('inputs', ()))
        else:
            data[key] = value[index]
    schema = data.pop('$schema', 'https://inlang.com/schema/inlang-message-format')
    ordered = {'$schema': schema, **dict(sorted(data.items()))}
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent='\t') + '\n')
