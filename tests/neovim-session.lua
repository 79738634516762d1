-- Driven by tests/neovim.sh: one editing session against `podlint server`.
local dir = os.getenv('PODLINT_DIR')
vim.cmd('edit ' .. dir .. '/deploy.yaml')
local buf = vim.api.nvim_get_current_buf()
local function say(text) io.stdout:write(text .. '\n') end
local function fail(text) say('FAILED: ' .. text); vim.cmd('cquit 1') end
local client_id = vim.lsp.start_client({
  name = 'podlint',
  cmd = { os.getenv('PODLINT'), 'server' },
  root_dir = dir,
  workspace_folders = { { uri = vim.uri_from_fname(dir), name = 'test' } },
})
vim.lsp.buf_attach_client(buf, client_id)
local function show()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp.code)
    say(string.format('  %d:%d %s [%s] %s', d.lnum + 1, d.col + 1,
      vim.diagnostic.severity[d.severity], code, (d.message:gsub('\n.*', ''))))
  end
end
local function miscased()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.message:find('containerport') then return d end
  end
end

if not vim.wait(20000, function() return miscased() ~= nil end, 20) then fail('no diagnostic on containerport') end
say('diagnostics after opening:')
show()
local line = miscased().lnum
local uri = vim.uri_from_bufnr(buf)
local at = { line = line, character = 94 }
local results = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction',
  { textDocument = { uri = uri }, range = { start = at, ['end'] = at }, context = { diagnostics = {} } }, 10000)
local chosen
for _, response in pairs(results or {}) do
  for _, action in ipairs(response.result or {}) do
    say('code action: ' .. action.title .. (action.isPreferred and '  [preferred]' or ''))
    if action.isPreferred then chosen = action end
  end
end
if not chosen then fail('no preferred code action') end
vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]
say('line ' .. (line + 1) .. ' after the fix: ' .. text)
if not text:find('containerPort: 80', 1, true) then fail('the fix did not write containerPort') end
if not vim.wait(20000, function() return miscased() == nil end, 20) then fail('the diagnostic stayed') end
say('diagnostics after the fix:')
show()
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
  { textDocument = { uri = uri }, position = { line = 6, character = 6 } }, 10000)
for _, response in pairs(hover or {}) do
  say('hover on matchLabels: ' .. (response.result.contents.value:gsub('\n\n', ' | ')))
end
vim.lsp.stop_client(client_id)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
say('server stopped: ' .. tostring(vim.lsp.get_client_by_id(client_id) == nil))
vim.cmd('qall!')
