-- wrk script: POST /v1/payments/confirm for pre-created orders bench-0000001, bench-0000002, ...
--
--   wrk -t2 -c16 -d30s --latency -s bench/confirm/confirm.lua http://127.0.0.1:8080 -- <first> <perThread> <basicAuth>[,<basicAuth>...] [amount] [thinkMs]
--
-- Thread i (0-based) confirms orders first + i*perThread + 0, 1, 2, ... so no two threads (and,
-- since one thread drives its connections one request at a time, no two connections) ever use the
-- same order. A thread that runs past its range stops counting as valid ("exhausted") and sends an
-- order id that does not exist, which the summary reports as non-2xx.
-- With several merchants (comma-separated Basic credentials), order n belongs to merchant
-- (n - 1) mod M, as run.sh creates them.
--
-- thinkMs (default 0): each connection waits that long after an answer before its next request, so
-- N connections offer at most N * 1000 / thinkMs requests/s: a paced load that leaves the machine idle
-- time, instead of the closed loop at full speed that keeps it saturated (bench/phase5/run.sh, THINK_MS).
--
-- done() prints one machine-readable line, "RESULT key=value ...", that run.sh parses:
-- requests, seconds, tps, p50/p90/p99/p999/max in ms, ok (HTTP 200), non2xx, socket errors, exhausted.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

function init(args)
   first      = tonumber(args[1] or "1")
   perThread  = tonumber(args[2] or "100000")
   amount     = tonumber(args[4] or "10000")
   think      = tonumber(args[5] or "0")
   if think > 0 then
      delay = function() return think end
   end
   base       = first + tid * perThread
   ok         = 0
   bad        = 0
   exhausted  = 0
   wrk.method = "POST"
   wrk.path   = "/v1/payments/confirm"
   headers    = {}
   for auth in string.gmatch(args[3] or "", "[^,]+") do
      table.insert(headers, { ["Content-Type"] = "application/json", ["Authorization"] = "Basic " .. auth })
   end
end

function request()
   local n = base + counter
   if counter >= perThread then
      exhausted = exhausted + 1
      n = 9999999 -- no such order: shows up as a 404 (non-2xx) in the summary
   end
   counter = counter + 1
   local body = string.format(
      '{"paymentKey":"pk_%07d","orderId":"bench-%07d","amount":%d}', n, n, amount)
   local h = headers[(n - 1) % #headers + 1]
   return wrk.format(nil, nil, h, body)
end

function response(status, responseHeaders, body)
   if status == 200 then
      ok = ok + 1
   else
      bad = bad + 1
      if bad <= 3 then
         io.stderr:write("confirm answered " .. status .. ": " .. string.sub(body or "", 1, 300) .. "\n")
      end
   end
end

function done(summary, latency, requests)
   local okTotal, badTotal, exhaustedTotal = 0, 0, 0
   for _, thread in ipairs(threads) do
      okTotal        = okTotal + (thread:get("ok") or 0)
      badTotal       = badTotal + (thread:get("bad") or 0)
      exhaustedTotal = exhaustedTotal + (thread:get("exhausted") or 0)
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f tps=%.1f p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f mean=%.2f "
         .. "ok=%d non2xx=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d exhausted=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000,
      okTotal, e.status, e.connect, e.read, e.write, e.timeout, exhaustedTotal))
end
