// Verifies Standard Webhooks signatures with the reference library (npm `standardwebhooks`), not with
// driftgate's own code: reads one JSON object per line on stdin,
//   {"secret": "whsec_...", "headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...},
//    "body_base64": "..."}
// and prints one line per input: {"ok": true} or {"ok": false, "error": "..."}.
import { createInterface } from 'node:readline';
import { Webhook } from 'standardwebhooks';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { secret, headers, body_base64: body } = JSON.parse(line);
  try {
    new Webhook(secret).verify(Buffer.from(body, 'base64').toString('utf8'), headers);
    console.log(JSON.stringify({ ok: true }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e.message || e) }));
  }
}
