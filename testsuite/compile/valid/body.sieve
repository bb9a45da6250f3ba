require ["body", "fileinto"];
# RFC 5173 examples.
if body :raw :contains "MAKE MONEY FAST" { discard; }
if body :content "text" :contains ["missile", "coordinates"] { fileinto "secrets"; }
if body :content "audio/mp3" :contains "" { fileinto "jukebox"; }
if body :text :contains "project schedule" { fileinto "project/schedule"; }
if body :content ["text/plain", "text/html"] :matches "*unsubscribe*" { keep; }
if body :comparator "i;octet" :is :text "exact" { keep; }
if body "default-is-text-and-is" { keep; }
