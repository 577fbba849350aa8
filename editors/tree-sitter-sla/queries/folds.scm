; Every block in braces folds.
[
  (contract)
  (calendar_body)
  (fields)
  (priority)
  (matrix)
  (closure)
  (targets)
  (escalation)
  (availability)
  (changes)
] @fold
