#!/bin/bash
# perl: regexes, hashes, sorting, file I/O, fork/wait, pipes, sprintf,
# core modules (Digest::SHA, JSON::PP, POSIX, File::Temp); native vs cvisor.
. "$(dirname "$0")/lib/common.bash"
need_cvisor
command -v perl >/dev/null || skip "perl is not installed"

cat >"$T/t.pl" <<'SCRIPT'
use strict; use warnings;
use Digest::SHA qw(sha256_hex); use JSON::PP; use POSIX qw(floor strftime);
use File::Temp qw(tempdir); use File::Path qw(make_path);
$| = 1;
my %h; $h{$_ % 7} += $_ for 1 .. 1000;
print join(",", map { "$_=$h{$_}" } sort keys %h), "\n";
my $s = "The year 1999 and 2024, also 42";
my @n = $s =~ /(\d+)/g; print "numbers: @n\n";
(my $t = $s) =~ s/(\d+)/<$1>/g; print "$t\n";
print "sha: ", sha256_hex("cvisor" x 100), "\n";
my $json = JSON::PP->new->canonical;
my $d = $json->decode('{"b":[1,2,{"c":null}],"a":"x","n":1.5}');
print $json->encode($d), "\n";
print floor(-2.5), " ", sprintf("%.3e|%05.1f|%-3s|", 12345.678, 3.14159, "a"), "\n";
print strftime("%Y-%m-%d", gmtime(86400 * 365)), "\n";
my $dir = tempdir("/tmp/cvisor-perl-XXXXXX", CLEANUP => 1);
make_path("$dir/a/b");
open(my $fh, ">", "$dir/a/b/f.txt") or die; print $fh "line $_\n" for 1 .. 100; close $fh;
open($fh, "<", "$dir/a/b/f.txt") or die; my @lines = <$fh>; close $fh;
print "lines: ", scalar(@lines), " last: $lines[-1]";
print "size: ", -s "$dir/a/b/f.txt", "\n";
rename "$dir/a/b/f.txt", "$dir/g.txt" or die; print "renamed: ", (-e "$dir/g.txt" ? 1 : 0), "\n";
opendir(my $dh, "$dir") or die; print "dir: ", join(" ", sort grep { !/^\./ } readdir $dh), "\n";
my @kids;
for my $i (1 .. 5) { my $pid = fork(); die unless defined $pid; if (!$pid) { exit $i * 3 } push @kids, $pid }
my $sum = 0; for (@kids) { waitpid($_, 0); $sum += $? >> 8 } print "children: $sum\n";
pipe(my $r, my $w) or die;
if (my $pid = fork()) { close $w; my @got = <$r>; waitpid($pid, 0); print "pipe: ", scalar(@got), " lines\n" }
else { close $r; print $w "x\n" for 1 .. 1000; close $w; exit 0 }
my $out = `echo backtick; exit 3`; print "qx: $out", "status: ", $? >> 8, "\n";
open(my $ph, "-|", "seq", "1", "5") or die; my $tot = 0; $tot += $_ while <$ph>; close $ph; print "seq: $tot\n";
local $SIG{ALRM} = sub { die "alarm\n" };
eval { alarm 1; select(undef, undef, undef, 3); alarm 0; }; print "eval: $@";
my @sorted = sort { $a->[1] <=> $b->[1] or $a->[0] cmp $b->[0] } map { [$_, length $_] } qw(pear fig apple kiwi banana);
print join(" ", map { $_->[0] } @sorted), "\n";
my $str = join "", map { chr(65 + $_ % 26) } 0 .. 99; print length($str), " ", substr($str, 25, 3), " ", lc(reverse substr($str, 0, 5)), "\n";
printf "%s\n", join ",", unpack("N n C", pack("N n C", 305419896, 4660, 255));
print "done\n";
SCRIPT
compare perl perl "$T/t.pl"
EXPECT_RC=4 compare perl_e perl -e 'print "$^O ", ($] >= 5.010 ? "modern" : "old"), "\n"; exit 4'
finish
