; Every block in braces folds.
[
  (contract)
  (calendar_body)
  (chosen_by)
  (fields)
  (priority)
  (matrix)
  (closure)
  (targets)
  (escalation)
  (availability)
  (changes)
  (version)
] @fold
