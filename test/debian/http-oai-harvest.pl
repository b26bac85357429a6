#!/usr/bin/perl
# Harvests a whole OAI-PMH list with HTTP::OAI (Debian's libhttp-oai-perl), following resumption tokens,
# and prints one line per record: identifier, title and year, read from the record with XPath.
use strict;
use warnings;
use HTTP::OAI;
use XML::LibXML;
use XML::LibXML::XPathContext;

my ($base_url, $prefix) = @ARGV;
my %paths = (
  oai_dc   => ['//dc:title', '//dc:date'],
  mods     => ['//mods:mods/mods:titleInfo/mods:title', '//mods:mods/mods:originInfo/mods:dateIssued'],
  datacite => ['//datacite:resource/datacite:titles/datacite:title', '//datacite:resource/datacite:publicationYear'],
);
my $harvester = HTTP::OAI::Harvester->new(baseURL => $base_url, resume => 1);
binmode STDOUT, ':encoding(UTF-8)';
my $list = $harvester->ListRecords(metadataPrefix => $prefix, onRecord => \&print_record);
die $list->message if $list->is_error;

sub print_record {
  my ($record) = @_;
  # Parsed again from its text: the DOM HTTP::OAI builds as it reads has no namespaces to match by.
  my $context = XML::LibXML::XPathContext->new(XML::LibXML->load_xml(string => $record->metadata->dom->toString));
  $context->registerNs('dc', 'http://purl.org/dc/elements/1.1/');
  $context->registerNs('mods', 'http://www.loc.gov/mods/v3');
  $context->registerNs('datacite', 'http://datacite.org/schema/kernel-4');
  my ($title, $date) = map { $context->findvalue($_) } @{ $paths{$prefix} };
  $title =~ s/[\t\n]/ /g;
  print join("\t", $record->identifier, $title, substr($date, 0, 4)), "\n";
}
