-- wrk script for `modctl bench-ingest`, the same for the real API and the floor (it reads external_id,
-- author.id and text): every request a new comment (a unique external_id per thread
-- and counter), so each one is stored and queued, as in production.
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("id", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  key = args[1]
  run = args[2]
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"external_id":"b-%s-%d-%d","article":{"id":"a-1","url":"https://luki.ru/news/1"},' ..
    '"author":{"id":"u-%d","name":"Читатель","ip":"198.51.100.%d"},' ..
    '"text":"Спасибо за новость, очень интересно, что будет дальше с ремонтом дороги номер %d."}',
    run, id, counter, counter % 500, counter % 250, counter)
  return wrk.format("POST", "/v1/comments",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
