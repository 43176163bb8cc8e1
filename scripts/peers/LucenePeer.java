// Lucene (Debian's liblucene8-java) as a peer of travaux in the scale benchmark; driven by
// lucene_peer.py, which compiles it and hands it the passages and the query mix as TSV.
//
// Configuration: an analyzer of StandardTokenizer, lowercase, ASCII folding and the Snowball
// English stemmer (no stop words, as travaux); the text indexed with positions and stored;
// agency, speaker, kind, topic and version as keyword fields for filters and as sorted-set
// doc values for facets (SortedSetDocValuesFacetCounts); the date as numeric doc values for
// date order. Queries: the classic QueryParser with AND as the default operator, "phrases",
// -word; filters as FILTER clauses; the top 10 by BM25 (or by date, or in index order when
// there are no words) with stored text, an exact total, and facet counts when asked.
//
//   java LucenePeer load INDEX PASSAGES.tsv      → {"seconds": …, "bytes": …}
//   java LucenePeer query INDEX MIX.tsv ROUNDS   → latency per class

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.facet.*;
import org.apache.lucene.facet.sortedset.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.FSDirectory;

public class LucenePeer {
    static final String[] FACETS = {"agency", "speaker", "kind", "topic", "version"};

    static Analyzer analyzer() throws IOException {
        return CustomAnalyzer.builder()
            .withTokenizer("standard")
            .addTokenFilter("lowercase")
            .addTokenFilter("asciiFolding")
            .addTokenFilter("snowballPorter", "language", "English")
            .build();
    }

    static FacetsConfig facetsConfig() {
        FacetsConfig c = new FacetsConfig();
        c.setMultiValued("topic", true);
        c.setMultiValued("version", true);
        return c;
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
    }

    static void load(String dir, String tsv) throws Exception {
        long t = System.nanoTime();
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer());
        cfg.setRAMBufferSizeMB(256);
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        FacetsConfig fc = facetsConfig();
        try (IndexWriter w = new IndexWriter(FSDirectory.open(Paths.get(dir)), cfg);
             BufferedReader r = Files.newBufferedReader(Paths.get(tsv), StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                // n, date, kind, agency, speaker, topics (|), versions (|), text
                String[] f = line.split("\t", 8);
                Document d = new Document();
                d.add(new TextField("text", unescape(f[7]), Field.Store.YES));
                d.add(new NumericDocValuesField("date", f[1].isEmpty() ? 0 : Long.parseLong(f[1])));
                String[][] values = {{f[2]}, {f[3]}, {f[4]}, f[5].split("\\|"), f[6].split("\\|")};
                for (int i = 0; i < FACETS.length; i++) {
                    String dim = i < 3 ? new String[]{"kind", "agency", "speaker"}[i] : FACETS[i];
                    for (String v : values[i]) {
                        if (v.isEmpty()) continue;
                        d.add(new StringField(dim, v, Field.Store.NO));
                        d.add(new SortedSetDocValuesFacetField(dim, v));
                    }
                }
                w.addDocument(fc.build(d));
            }
            w.commit();
        }
        long bytes = 0;
        for (File f : new File(dir).listFiles()) bytes += f.length();
        System.out.printf("{\"seconds\": %f, \"bytes\": %d}%n", (System.nanoTime() - t) / 1e9, bytes);
    }

    record Q(String cls, String text, Map<String, String> filters, boolean facets, boolean dateSort) {}

    static List<Q> mix(String tsv) throws IOException {
        List<Q> out = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(tsv), StandardCharsets.UTF_8)) {
            // class, text, filters (field=value|…), facets 0/1, date sort 0/1
            String[] f = line.split("\t", -1);
            Map<String, String> filters = new LinkedHashMap<>();
            for (String kv : f[2].split("\\|")) {
                int eq = kv.indexOf('=');
                if (eq > 0) filters.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            out.add(new Q(f[0], f[1], filters, f[3].equals("1"), f[4].equals("1")));
        }
        return out;
    }

    static double pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return 0;
        int rank = (int) Math.max(1, Math.ceil(q * sorted.size()));
        return sorted.get(Math.min(rank, sorted.size()) - 1);
    }

    static String summary(String cls, int queries, List<double[]> samples) {
        List<Double> ms = new ArrayList<>();
        double hits = 0, sum = 0;
        for (double[] s : samples) { ms.add(s[0]); hits += s[1]; sum += s[0]; }
        Collections.sort(ms);
        int n = Math.max(1, samples.size());
        return String.format(Locale.ROOT,
            "{\"class\": \"%s\", \"queries\": %d, \"runs\": %d, \"p50_ms\": %f, \"p95_ms\": %f, \"p99_ms\": %f, \"mean_ms\": %f, \"mean_hits\": %f}",
            cls, queries, samples.size(), pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99), sum / n, hits / n);
    }

    static void query(String dir, String tsv, int rounds) throws Exception {
        DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)));
        IndexSearcher searcher = new IndexSearcher(reader);
        DefaultSortedSetDocValuesReaderState state = new DefaultSortedSetDocValuesReaderState(reader);
        QueryParser parser = new QueryParser("text", analyzer());
        parser.setDefaultOperator(QueryParser.Operator.AND);
        List<Q> qs = mix(tsv);
        List<Query> built = new ArrayList<>();
        for (Q q : qs) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            b.add(q.text().isEmpty() ? new MatchAllDocsQuery() : parser.parse(q.text()), BooleanClause.Occur.MUST);
            for (Map.Entry<String, String> e : q.filters().entrySet())
                b.add(new TermQuery(new Term(e.getKey(), e.getValue())), BooleanClause.Occur.FILTER);
            built.add(b.build());
        }
        Sort byDate = new Sort(new SortField("date", SortField.Type.LONG, true));
        Map<String, List<double[]>> by = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        List<double[]> all = new ArrayList<>();
        for (Q q : qs) counts.merge(q.cls(), 1, Integer::sum);
        for (int round = -1; round < rounds; round++) {
            for (int i = 0; i < qs.size(); i++) {
                Q q = qs.get(i);
                long t = System.nanoTime();
                TopDocs top;
                FacetsCollector fcoll = new FacetsCollector();
                Sort sort = q.dateSort() ? byDate : (q.text().isEmpty() ? Sort.INDEXORDER : null);
                TopDocsCollector<?> c = sort == null
                    ? TopScoreDocCollector.create(10, Integer.MAX_VALUE)
                    : TopFieldCollector.create(sort, 10, Integer.MAX_VALUE);
                searcher.search(built.get(i), q.facets() ? MultiCollector.wrap(c, fcoll) : c);
                top = c.topDocs();
                if (q.facets()) {
                    Facets f = new SortedSetDocValuesFacetCounts(state, fcoll);
                    for (String dim : FACETS) f.getTopChildren(100, dim);
                }
                for (ScoreDoc sd : top.scoreDocs) searcher.doc(sd.doc).get("text");
                double ms = (System.nanoTime() - t) / 1e6;
                if (round >= 0) {
                    double[] s = {ms, top.totalHits.value};
                    by.computeIfAbsent(q.cls(), k -> new ArrayList<>()).add(s);
                    all.add(s);
                }
            }
        }
        StringBuilder out = new StringBuilder("{\"rounds\": " + rounds + ", \"classes\": [");
        String sep = "";
        for (Map.Entry<String, List<double[]>> e : by.entrySet()) {
            out.append(sep).append(summary(e.getKey(), counts.get(e.getKey()), e.getValue()));
            sep = ", ";
        }
        out.append("], \"all\": ").append(summary("all", qs.size(), all)).append(", \"skipped\": [\"precedent\"]}");
        System.out.println(out);
    }

    public static void main(String[] a) throws Exception {
        if (a[0].equals("load")) load(a[1], a[2]);
        else query(a[1], a[2], Integer.parseInt(a[3]));
    }
}
