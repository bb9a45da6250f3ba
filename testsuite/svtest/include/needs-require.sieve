# Each script requires what it uses (RFC 6609 3.2): the includer's
# require "fileinto" does not count here.
fileinto "X";
