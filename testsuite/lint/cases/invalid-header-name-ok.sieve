require "variables";
set "suffix" "Flag";
if exists ["X-Spam", "X-Spam-${suffix}", "List-Id"] {
    discard;
}
if address :is "From" "boss@example.com" {
    keep;
}
