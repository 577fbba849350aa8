; One scope, the file: calendars, metrics and fields are declared at the top
; level and used by name anywhere in it (before or after the declaration).
(source_file) @local.scope

(calendar name: (identifier) @local.definition.type)
(metric name: (identifier) @local.definition.function)
(field_decl name: (identifier) @local.definition.field)

(calendar_ref (identifier) @local.reference)
(chosen_by field: (identifier) @local.reference)
(target_clause metric: (identifier) @local.reference)
(objective metric: (identifier) @local.reference)
(breached metric: (identifier) @local.reference)
(used metric: (identifier) @local.reference)
(metric from: (identifier) @local.reference)
(metric to: (identifier) @local.reference)
(priority field: (identifier) @local.reference)
(in_list field: (identifier) @local.reference)
(compare field: (identifier) @local.reference)
(is_empty field: (identifier) @local.reference)
(inside field: (identifier) @local.reference)
