if exists "X-Spam-Flag" { discard; }
if exists ["From", "Date", "Message-Id"] { keep; }
if not exists "Received" { discard; }
