# ereject (RFC 5429) for SMTP-time refusal: Pigeonhole 0.5 lacks it, so the
# differential runs Pigeonhole with reject instead (see ../README).
require ["ereject", "fileinto"];

if header :contains "X-Spam-Flag" "YES" {
    ereject "spam refused";
    stop;
}
if size :over 60K {
    ereject "too large";
}
if anyof (header :contains "Subject" ["ADV:", "$$$", "!!!"],
          not exists "Date") {
    ereject "refused by the recipient's filter";
}
