<?php
// A news site's callback endpoint in plain PHP 8: verify, drop replays and stale deliveries, publish or hide.
//
// Configure with two environment variables (or edit the two constants below):
//   MODSYS_SIGNING_SECRET  the site's signing secret (printed once by `modctl site create`)
//   MODSYS_STATE_FILE      where this example keeps its state (a real site updates its comments table)
// Try it: MODSYS_SIGNING_SECRET=whsec_... MODSYS_STATE_FILE=/tmp/modsys.json php -S 127.0.0.1:8080 receiver.php

declare(strict_types=1);

const TOLERANCE_S = 300; // refuse callbacks stamped more than this far from now

function verify_callback(string $secret, array $headers, string $body, ?int $now = null): bool
{
    $timestamp = $headers['x-modsys-timestamp'] ?? '';
    if (!ctype_digit($timestamp) || abs(($now ?? time()) - (int) $timestamp) > TOLERANCE_S) {
        return false;
    }
    $expected = hash_hmac('sha256', $timestamp . '.' . $body, $secret);
    // One v1= value, or two during a secret rotation.
    foreach (preg_split('/[\s,]+/', $headers['x-modsys-signature'] ?? '', -1, PREG_SPLIT_NO_EMPTY) as $part) {
        if (str_starts_with($part, 'v1=') && hash_equals($expected, substr($part, 3))) {
            return true;
        }
    }
    return false;
}

function lower_headers(): array
{
    $headers = [];
    foreach (getallheaders() as $name => $value) {
        $headers[strtolower($name)] = $value;
    }
    return $headers;
}

function answer(int $status, string $text): void
{
    http_response_code($status);
    header('Content-Type: text/plain; charset=utf-8');
    echo $text, "\n";
}

$secret = getenv('MODSYS_SIGNING_SECRET') ?: '';
$state_file = getenv('MODSYS_STATE_FILE') ?: sys_get_temp_dir() . '/modsys-receiver.json';

if ($_SERVER['REQUEST_METHOD'] !== 'POST' || parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) !== '/hooks/moderation') {
    answer(404, 'not found');
    return;
}
$body = file_get_contents('php://input'); // the raw bytes: the signature covers them exactly
$headers = lower_headers();
if ($secret === '' || !verify_callback($secret, $headers, $body)) {
    answer(401, 'signature or timestamp not valid');
    return;
}
$delivery = (int) ($headers['x-modsys-delivery'] ?? 0);
$event = json_decode($body, true, 32, JSON_THROW_ON_ERROR);

// One writer at a time: the delivery and its effect are stored together.
$handle = fopen($state_file, 'c+');
flock($handle, LOCK_EX);
$state = json_decode(stream_get_contents($handle) ?: '{"deliveries": [], "comments": {}}', true);
if (in_array($delivery, $state['deliveries'], true)) {
    answer(200, 'already handled');
} else {
    $state['deliveries'][] = $delivery;
    if (($event['event'] ?? '') === 'comment.decided') {
        $id = $event['external_id'];
        $current = $state['comments'][$id] ?? null;
        if ($current === null || $current['delivery'] < $delivery) { // older deliveries are stale retries
            $state['comments'][$id] = [
                'published' => (bool) $event['publish'], 'status' => $event['status'], 'delivery' => $delivery,
            ];
        }
    }
    ftruncate($handle, 0);
    rewind($handle);
    fwrite($handle, json_encode($state, JSON_UNESCAPED_UNICODE | JSON_PRETTY_PRINT));
    answer(200, 'ok');
}
flock($handle, LOCK_UN);
fclose($handle);
