-- wrk script for bench/inbox_load.py: every request posts a different comment.
--
-- Usage: wrk ... -s bench/wrk_comment.lua URL -- REQUESTS_FILE RUN_TAG [PAUSE_MS]
--
-- REQUESTS_FILE (written by bench/inbox_load.py) has one request template a line, tab-separated:
--   path <TAB> content type <TAB> accept <TAB> body
-- The body is already URL- or JSON-encoded by Python; each request replaces every "MARKER" in its
-- path and body with "<RUN_TAG>-<thread>-<counter>", so no two comments of a run are identical
-- (the inbox ignores an identical re-post) and a comment can be found again by its marker.
-- Encoding is left to Python on purpose: Lua only substitutes a token made of [a-z0-9-].
-- PAUSE_MS (default 0) makes each connection wait that long before each request, to measure
-- latency below saturation: 64 connections pausing 64 ms offer about 1,000 requests a second.

local templates = {}
local run_tag = "run"
local pause_ms = 0
local thread_number = 0
local counter = 0

-- setup() runs once per thread in the main Lua state; give each thread its number.
local threads_started = 0
function setup(thread)
  thread:set("thread_number", threads_started)
  threads_started = threads_started + 1
end

local function split_tabs(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  local path = args[1]
  run_tag = args[2] or run_tag
  pause_ms = tonumber(args[3] or "0") or 0
  local file = assert(io.open(path, "r"), "cannot open the request file " .. tostring(path))
  for line in file:lines() do
    if line ~= "" then
      local f = split_tabs(line)
      templates[#templates + 1] = {
        path = f[1],
        headers = { ["Content-Type"] = f[2], ["Accept"] = f[3] },
        body = f[4],
      }
    end
  end
  file:close()
  assert(#templates > 0, "no request templates in " .. path)
end

function delay()
  return pause_ms
end

function request()
  counter = counter + 1
  local template = templates[(counter % #templates) + 1]
  local marker = run_tag .. "-" .. thread_number .. "-" .. counter
  local path = template.path:gsub("MARKER", marker)
  local body = template.body:gsub("MARKER", marker)
  return wrk.format("POST", path, template.headers, body)
end

-- One machine-readable line for bench/inbox_load.py; latencies in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"duration_us": %d, "requests": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean
  ))
end
