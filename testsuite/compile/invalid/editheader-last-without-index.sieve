require "editheader";
deleteheader :last "X-Trace";
