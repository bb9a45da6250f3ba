require ["duplicate", "variables"];
if duplicate :handle "notify-bob" :header "x-event-id" :last { discard; }
if header :matches "message-id" "*" {
  if duplicate :handle "ids" :uniqueid "${1}" { discard; }
}
