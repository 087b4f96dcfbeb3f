-- wrk script: POST /v1/contact/add with a new French mobile number every request, in E.164
-- (the twin of bench/add.lua, whose numbers are national: the limit apps normalise nothing).
-- Arguments (after --): api key, group id, first number. Thread 1 sends +3361...,
-- thread 2 +3362...: prefixes libphonenumber holds valid for every following 7 digits.
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  key = args[1]
  group = args[2]
  base = tonumber(args[3])
  n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local phone = string.format("+336%d%07d", id, (base + n) % 10000000)
  local body = '{"apiKey":"' .. key .. '","groupId":"' .. group ..
    '","contact":{"phoneNumber":"' .. phone .. '","firstname":"Camille"}}'
  return wrk.format(nil, "/v1/contact/add", nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
