require ["editheader", "index"];
deleteheader :index 1 "X-Spam-Report";
deleteheader :index 2 :last "X-Trace";
deleteheader :index 1 :is "Comments" "spam";
