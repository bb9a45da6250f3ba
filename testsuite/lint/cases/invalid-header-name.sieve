require "variables";
set "suffix" "Flag";
if exists "X Spam" {
    discard;
}
if header :is "From:" "boss@example.com" {
    keep;
}
if exists "X Spam-${suffix}" {
    discard;
}
