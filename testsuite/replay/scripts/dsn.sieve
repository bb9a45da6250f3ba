# RFC 6009: envelope-dsn / envelope-deliverby parts and the redirect tags
# of redirect-dsn / redirect-deliverby, as sieve-replay shows them.
require ["envelope", "envelope-dsn", "envelope-deliverby", "redirect-dsn",
         "redirect-deliverby", "copy", "fileinto", "variables"];
if envelope :matches "notify" "*" {
    fileinto "notify-${1}";
}
if envelope :matches "bymode" "*" {
    fileinto "bymode-${1}";
}
redirect :copy :notify "success,failure" :ret "hdrs" "list@example.com";
redirect :copy :bytimerelative 600 :bymode "return" :bytrace "cellphone@example.com";
redirect :bytimeabsolute "2040-01-01T20:00:00-07:00" :notify "NEVER" "later@example.com";
