#!/usr/bin/env bash
# Doxygen over include/leandesk/export.h with the project's settings (docs/Doxyfile: warnings for
# anything undocumented, warnings are errors). leandesk.h is read too, so that links to its items
# resolve; only problems in export.h fail this check (leandesk.h has docs.api_reference).
# Also checks docs/export.md's table of the group spreadsheet's sheets against the code: the same
# sheets in the same order, and each header row exactly as src/export/group_export.cpp writes it.
#   check_export_docs.sh <doxygen> <output-dir>
set -uo pipefail
doxygen=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
mkdir -p "$out"

# The spreadsheet's sheets and header rows: docs/export.md against src/export/group_export.cpp.
# In the code, each sheet is book_.add_sheet("Name", {{"Header", width}, ...}); in the doc, each
# row of the table under "| sheet | one row per | header row, in order |" names the sheet in code
# in its first cell and lists the header texts in code, in order, in its third cell.
sheets_failed=0
if ! perl -e '
    use strict; use warnings;
    my ($code_file, $doc_file) = @ARGV;
    local $/;
    open(my $c, "<", $code_file) or die "cannot read $code_file\n";
    my $code = <$c>;
    my @code_sheets;
    my %code_headers;
    while ($code =~ /add_sheet\(\s*"([^"]+)"\s*,\s*\{(.*?)\}\s*\)/gs) {
        my ($sheet, $body) = ($1, $2);
        push @code_sheets, $sheet;
        $code_headers{$sheet} = [ $body =~ /\{\s*"([^"]*)"\s*,\s*\d+\s*\}/g ];
    }
    die "no add_sheet(...) found in $code_file\n" unless @code_sheets;
    open(my $d, "<", $doc_file) or die "cannot read $doc_file\n";
    my @lines = split /\n/, <$d>;
    my ($at) = grep { $lines[$_] =~ /^\|\s*sheet\s*\|\s*one row per\s*\|\s*header row, in order\s*\|/ }
        0 .. $#lines;
    die "docs/export.md has no table headed | sheet | one row per | header row, in order |\n"
        unless defined $at;
    my (@doc_sheets, %doc_headers);
    my $bad = 0;
    for my $i ($at + 2 .. $#lines) {
        last unless $lines[$i] =~ /^\|/;
        my @cells = split /\|/, $lines[$i];
        my ($sheet) = ($cells[1] // "") =~ /`([^`]+)`/;
        if (!defined $sheet) {
            print "docs/export.md: a sheet table row names no sheet in code: $lines[$i]\n";
            $bad = 1;
            next;
        }
        push @doc_sheets, $sheet;
        $doc_headers{$sheet} = [ ($cells[3] // "") =~ /`([^`]+)`/g ];
    }
    if ("@doc_sheets" ne "@code_sheets") {
        print "docs/export.md lists the sheets [", join(", ", @doc_sheets), "], the code writes [",
            join(", ", @code_sheets), "]\n";
        $bad = 1;
    }
    for my $sheet (@code_sheets) {
        next unless $doc_headers{$sheet};
        my @doc = @{ $doc_headers{$sheet} };
        my @real = @{ $code_headers{$sheet} };
        my %is_real = map { $_ => 1 } @real;
        for my $h (@doc) {
            next if $is_real{$h};
            print "docs/export.md, sheet $sheet: \"$h\" is not a header of that sheet\n";
            $bad = 1;
        }
        if (join("\x1f", @doc) ne join("\x1f", @real)) {
            print "docs/export.md, sheet $sheet: documented header row [", join(", ", @doc),
                "] differs from the real one [", join(", ", @real), "]\n";
            $bad = 1;
        }
    }
    exit $bad;
' "$src/src/export/group_export.cpp" "$src/docs/export.md"; then
    echo "FAIL: docs/export.md's sheet table does not match the spreadsheet's real header rows"
    sheets_failed=1
fi
cat >"$out/Doxyfile" <<CFG
@INCLUDE = $src/docs/Doxyfile
FILE_PATTERNS = leandesk.h export.h
GENERATE_HTML = NO
GENERATE_XML = YES
CFG
version=$(sed -n 's/^#define LD_VERSION "\(.*\)".*/\1/p' "$src/include/leandesk/leandesk.h")
(cd "$src" && LEANDESK_SOURCE_DIR=$src LEANDESK_DOXYGEN_OUTPUT=$out LEANDESK_VERSION=$version \
    "$doxygen" "$out/Doxyfile") >"$out/doxygen.log" 2>"$out/warnings.log"
rc=$?
problems=$(sed "s|^$src/||" "$out/warnings.log" | grep '^include/leandesk/export.h:' | sort -u)
if [[ -n $problems || ! -r $out/xml/export_8h.xml ]]; then
    echo "FAIL: doxygen reported problems in include/leandesk/export.h (status $rc):"
    echo "$problems"
    exit 1
fi
# Every LD_API function of export.h has a description in the XML.
declared=$(perl -0777 -ne 's{/\*.*?\*/}{ }gs; print "$1\n" while /\bLD_API\b[^;{}()]*?\b(ld_\w+)\s*\(/g' \
    "$src/include/leandesk/export.h" | sort -u)
missing=0
for fn in $declared; do
    if ! perl -0777 -ne "exit(!(m{<memberdef kind=\"function\"[^>]*>.*?<name>$fn</name>.*?<detaileddescription>\\s*<para>}s))" \
        "$out"/xml/export_8h.xml; then
        echo "FAIL: $fn has no description"
        missing=1
    fi
done
((missing || sheets_failed)) && exit 1
echo "OK: $(wc -w <<<"$declared") LD_API functions of export.h documented; docs/export.md's sheet table matches the code"
