if envelope :is "from" "a@example.org" { discard; }
