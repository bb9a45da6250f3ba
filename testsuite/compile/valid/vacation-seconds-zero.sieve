require ["vacation", "vacation-seconds"];
vacation :addresses "me@example.org" :seconds 0 "Reply to every message.";
