require ["editheader", "index"];
deleteheader :index 1 "Received";
deleteheader :index 2 :last "X-Trace";
deleteheader :index 1 :is "Comments" "spam";
