stop "now";
