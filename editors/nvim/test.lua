-- A real Neovim, headless, set up as editors/README.md tells a user to set
-- it up, editing a shipped contract against the real `sla lsp`:
-- tree-sitter highlighting without ERROR nodes, diagnostics after a
-- misspelled calendar name, diagnostics of a contract of the folder that
-- is not open, hover, inlay hints, definition, completion, formatting.
--
--   nvim --headless --clean -l editors/nvim/test.lua SLA SITE CONTRACT
--
-- SLA: the sla binary; SITE: a folder holding parser/sla.so and
-- queries/sla/*.scm (the layout of ~/.local/share/nvim/site); CONTRACT: a
-- copy of contracts/care.sla to edit. Prints one line per check and exits
-- 1 on the first failure.

local sla, site, contract = arg[1], arg[2], arg[3]
local TIMEOUT = 20000

local function fail(msg)
  io.stderr:write('nvim test FAILED: ' .. msg .. '\n')
  os.exit(1)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

local function say(msg)
  io.stdout:write('nvim: ' .. msg .. '\n')
end

-- The README's setup: the site folder on the runtime path, the filetype,
-- tree-sitter, folds open, and the server started for the buffer.
vim.opt.runtimepath:prepend(site)
vim.filetype.add({ extension = { sla = 'sla' } })
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sla',
  callback = function(ev)
    vim.bo[ev.buf].commentstring = '# %s'
    vim.treesitter.start(ev.buf)
    vim.wo.foldmethod = 'expr'
    vim.wo.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
    vim.wo.foldlevel = 99
    vim.lsp.start({
      name = 'sla',
      cmd = { sla, 'lsp' },
      -- The project's folder: the server checks every .sla in it.
      root_dir = vim.fs.root(ev.buf, { '.git' }) or vim.fs.dirname(vim.api.nvim_buf_get_name(ev.buf)),
    })
  end,
})
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(ev)
    vim.lsp.inlay_hint.enable(true, { bufnr = ev.buf })
  end,
})

-- A second contract in the folder, never opened, with `ofice` for `office`.
local folder = vim.fs.dirname(contract)
local other = folder .. '/other.sla'
local lines = vim.fn.readfile(contract)
for i, l in ipairs(lines) do
  lines[i] = l:gsub('responded_at in office', 'responded_at in ofice')
end
vim.fn.writefile(lines, other)

vim.cmd.edit(vim.fn.fnameescape(contract))
local buf = vim.api.nvim_get_current_buf()
check(vim.bo[buf].filetype == 'sla', 'filetype sla, got ' .. vim.bo[buf].filetype)
local original = vim.api.nvim_buf_get_lines(buf, 0, -1, true)

-- 0-based (row, col) of the first `needle` on or after the line holding `anchor`.
local function find(anchor, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, true)) do
    if line:find(anchor, 1, true) then
      local col = line:find(needle, 1, true)
      if col then
        return i - 1, col - 1
      end
    end
  end
  fail(('no %q on a line with %q'):format(needle, anchor))
end

---------------------------------------------------------------- tree-sitter
local parser = vim.treesitter.get_parser(buf, 'sla')
local tree = parser:parse()[1]
check(not tree:root():has_error(), 'the parse tree of care.sla has ERROR or MISSING nodes')
say(('tree-sitter: parsed without ERROR nodes (parser ABI %d)'):format(vim.treesitter.language.inspect('sla').abi_version or -1))

-- The highlighter is on, and colours names as highlights.scm says.
local function captures(row, col)
  local names = {}
  for _, c in ipairs(vim.treesitter.get_captures_at_pos(buf, row, col)) do
    names[#names + 1] = c.capture
  end
  return table.concat(names, ' ')
end
check(vim.treesitter.highlighter.active[buf] ~= nil, 'tree-sitter highlighting is not active')
local r, c = find('calendar office', 'calendar')
check(captures(r, c):find('keyword.declaration', 1, true), '`calendar` is not @keyword.declaration: ' .. captures(r, c))
r, c = find('calendar office', 'office')
check(captures(r, c):find('type.definition', 1, true), '`office` at its declaration is not @type.definition: ' .. captures(r, c))
r, c = find('metric response', 'office')
check(captures(r, c):find('type', 1, true), '`office` in a metric is not @type: ' .. captures(r, c))
r, c = find('# The cause found', '#')
check(captures(r, c):find('comment', 1, true), 'a comment is not @comment: ' .. captures(r, c))
say('tree-sitter: highlighting active, keyword/calendar/comment captures right')
-- Folds open on start: foldlevel high, so no line is inside a closed fold.
check(vim.fn.foldclosed(14) == -1, 'a fold is closed on start (set foldlevel)')

------------------------------------------------------------------------ LSP
local client
check(vim.wait(TIMEOUT, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'sla' })[1]
  return client ~= nil and client.initialized
end, 10), 'sla lsp did not start and initialize')
say('lsp: started and initialized')

local function diagnostics_until(pred, what)
  local got
  local ok = vim.wait(TIMEOUT, function()
    got = vim.diagnostic.get(buf)
    return pred(got)
  end, 10)
  check(ok, 'timed out waiting for ' .. what .. '; have ' .. vim.inspect(got))
  return got
end

-- As opened, care.sla is clean. Wait for the server's first report.
diagnostics_until(function(d)
  return #d == 0
end, 'no diagnostics on the clean file')

-- The folder's other contract, not open, has its problem reported too.
local od
check(vim.wait(TIMEOUT, function()
  local ob = vim.fn.bufnr(other)
  od = ob ~= -1 and vim.diagnostic.get(ob) or {}
  return #od > 0
end, 10), 'no diagnostics for the unopened other.sla')
check(od[1].message:find('ofice', 1, true), 'other.sla: ' .. od[1].message)
say('lsp: workspace diagnostics: other.sla (not open): ' .. od[1].message:gsub('\n.*', ''))

-- Misspell the calendar of the response metric: `office` -> `ofice`.
local mr, mc = find('metric response', 'office')
vim.api.nvim_buf_set_text(buf, mr, mc, mr, mc + 6, { 'ofice' })
local d = diagnostics_until(function(x)
  return #x > 0
end, 'a diagnostic for `ofice`')
check(#d == 1, 'one diagnostic, got ' .. vim.inspect(d))
check(d[1].severity == vim.diagnostic.severity.ERROR, 'an error')
check(d[1].lnum == mr and d[1].col == mc, ('at %d:%d, got %d:%d'):format(mr, mc, d[1].lnum, d[1].col))
check(d[1].message:find('office', 1, true), 'suggests `office`: ' .. d[1].message)
say('lsp: diagnostic after the edit: ' .. d[1].message:gsub('\n', ' '))

-- Put it back: the list clears.
vim.api.nvim_buf_set_text(buf, mr, mc, mr, mc + 5, { 'office' })
diagnostics_until(function(x)
  return #x == 0
end, 'the diagnostic to clear')

local function request(method, row, col, extra)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  for k, v in pairs(extra or {}) do
    params[k] = v
  end
  local resp, err = client:request_sync(method, params, TIMEOUT, buf)
  check(resp and not resp.err, method .. ' failed: ' .. vim.inspect(err or (resp and resp.err)))
  return resp.result
end

-- Hover on `office` in `metric resolution ... in office`.
local hr, hc = find('metric resolution', 'office')
local hover = request('textDocument/hover', hr, hc)
check(hover and hover.contents, 'a hover')
local text = hover.contents.value or vim.inspect(hover.contents)
check(text:find('calendar', 1, true) and text:find('office', 1, true), 'hover names the calendar: ' .. text)
say('lsp: hover: ' .. text:gsub('\n.*', ''))

-- Inlay hints: after `in office`, the calendar's hours and zone.
local ih = client:request_sync('textDocument/inlayHint', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 0, character = 0 }, ['end'] = { line = #original, character = 0 } },
}, TIMEOUT, buf)
check(ih and ih.result and #ih.result > 0, 'inlay hints: ' .. vim.inspect(ih))
local hint
for _, h in ipairs(ih.result) do
  if h.position.line == hr then
    hint = type(h.label) == 'string' and h.label or h.label[1].value
  end
end
check(hint and hint:find('Europe/Amsterdam', 1, true), 'an inlay hint after `in office`: ' .. vim.inspect(ih.result))
say('lsp: inlay hint after `in office`: ' .. hint)

-- Definition: the calendar's name on its declaration line.
local def = request('textDocument/definition', hr, hc)
local loc = def.range and def or def[1]
local dr, dc = find('calendar office', 'office')
check(loc and loc.range.start.line == dr and loc.range.start.character == dc, 'definition at the declaration: ' .. vim.inspect(def))
say(('lsp: definition: line %d'):format(loc.range.start.line + 1))

-- Completion after `in ` in a metric: the calendar is offered.
local cr, cc = find('metric response', 'office')
local comp = request('textDocument/completion', cr, cc)
local items = comp.items or comp
local labels = {}
for _, it in ipairs(items) do
  labels[it.label] = true
end
check(labels.office, 'completion after `in` offers `office`')
say(('lsp: completion: %d items, `office` among them'):format(#items))

-- Formatting: wreck a line's indentation, format, get the file back.
local orow = find('open mon..fri', 'open')
vim.api.nvim_buf_set_lines(buf, orow, orow + 1, true, { 'open     mon..fri 09:00-17:00' })
vim.lsp.buf.format({ bufnr = buf, async = false, timeout_ms = TIMEOUT })
local now = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
check(vim.deep_equal(now, original), 'formatting restores the layout; line: ' .. (now[orow + 1] or '?'))
say('lsp: formatting restored the layout')

-- Stop: the client shuts the server down.
client:stop()
check(vim.wait(TIMEOUT, function()
  return client:is_stopped()
end, 10), 'the server did not stop')
say('all checks passed')
os.exit(0)
