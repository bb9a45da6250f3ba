require ["vacation-seconds"];
# RFC 6131: vacation-seconds implies vacation.
vacation :seconds 1800 :subject "Gone to lunch" "I'll be back in half an hour.";
