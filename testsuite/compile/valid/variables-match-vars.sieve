require ["variables", "fileinto", "envelope", "subaddress"];
if envelope :matches :detail "to" "*" {
  set :lower "folder" "${1}";
  if string :is "${folder}" "" { stop; }
  fileinto "Plus/${folder}";
}
if header :matches "Subject" "*re: *" {
  set "topic" "${2}";
  set "whole" "${0}";
  if string :contains "${topic}" "${whole}" { keep; }
}
