require ["vacation", "vacation-seconds", "variables"];
vacation :days 7 :subject "Away" :from "me@example.org"
         :addresses ["me@example.org", "me2@example.org"] :mime :handle "h1"
         "I am away.";
vacation :seconds 3600 text:
Back soon.
.
;
