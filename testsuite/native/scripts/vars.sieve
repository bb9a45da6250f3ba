require ["variables", "fileinto", "subaddress", "regex", "body", "envelope",
         "comparator-i;unicode-casemap", "encoded-character", "ereject"];
if envelope :detail "to" "*" {
    set :lower "box" "${1}";
    fileinto "lists.${box}";
}
if header :regex "list-id" "<([a-z]+)\\." {
    fileinto "lists.${1}";
}
if body :text :comparator "i;unicode-casemap" :contains "${hex:c3 a9}t${unicode:e9}" {
    ereject "no";
}
if string :is "${box}" "" { keep; }
