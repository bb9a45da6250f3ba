require ["enotify", "fileinto", "variables"];
# RFC 5435 examples.
if header :contains "from" "boss@example.org" {
  notify :importance "1" :message "This is probably very important" "mailto:alm@example.com";
  stop;
}
if header :matches "Subject" "*" {
  set "subject" "${1}";
}
if header :matches "From" "*" {
  set "from" "${1}";
}
notify :importance "3" :message "${from}: ${subject}" "mailto:alm@example.com";
notify :from "me@example.org" :options ["a=b"] "mailto:x@example.com?subject=Hi";
