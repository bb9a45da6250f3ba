require "variables";
set "pattern" "*report*";
if header :matches "Subject" ["invoice*", "re?ort", "${pattern}"] {
    keep;
}
if header :is "Subject" "invoice" {
    keep;
}
