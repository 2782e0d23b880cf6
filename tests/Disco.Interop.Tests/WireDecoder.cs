namespace Disco.Interop.Tests;

/// <summary>
/// A minimal protobuf wire-format decoder written for the tests from the encoding rules (varints,
/// tags, length-delimited fields), independent of Google.Protobuf, to read CIFF files back.
/// </summary>
internal static class WireDecoder
{
    public sealed record Ciff(Dictionary<int, object> Header, List<(string Term, long Df, long Cf, List<(int Doc, int Tf)> Postings)> Lists, List<(long Docid, string Id, long Length)> Docs);

    public static Ciff Read(byte[] data)
    {
        var pos = 0;
        var header = Fields(Message(data, ref pos));
        var lists = new List<(string, long, long, List<(int, int)>)>();
        for (var i = 0; i < (long)header.GetValueOrDefault(2, 0L); i++)
        {
            var m = Message(data, ref pos);
            string term = "";
            long df = 0, cf = 0, doc = 0;
            var postings = new List<(int, int)>();
            foreach (var (field, value) in All(m))
            {
                switch (field)
                {
                    case 1: term = System.Text.Encoding.UTF8.GetString((byte[])value); break;
                    case 2: df = (long)value; break;
                    case 3: cf = (long)value; break;
                    case 4:
                        var p = Fields((byte[])value);
                        doc += (long)p.GetValueOrDefault(1, 0L);
                        postings.Add(((int)doc, (int)(long)p.GetValueOrDefault(2, 0L)));
                        break;
                }
            }
            lists.Add((term, df, cf, postings));
        }
        var docs = new List<(long, string, long)>();
        for (var i = 0; i < (long)header.GetValueOrDefault(3, 0L); i++)
        {
            var d = Fields(Message(data, ref pos));
            docs.Add(((long)d.GetValueOrDefault(1, 0L), System.Text.Encoding.UTF8.GetString((byte[])d.GetValueOrDefault(2, Array.Empty<byte>())), (long)d.GetValueOrDefault(3, 0L)));
        }
        Assert.Equal(data.Length, pos);
        if (header.TryGetValue(8, out var description))
            header[8] = System.Text.Encoding.UTF8.GetString((byte[])description);
        return new Ciff(header, lists, docs);
    }

    private static byte[] Message(byte[] data, ref int pos)
    {
        var length = (int)Varint(data, ref pos);
        var m = data[pos..(pos + length)];
        pos += length;
        return m;
    }

    private static Dictionary<int, object> Fields(byte[] message) => All(message).GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Last().Value);

    private static List<(int Field, object Value)> All(byte[] message)
    {
        var fields = new List<(int, object)>();
        var pos = 0;
        while (pos < message.Length)
        {
            var tag = Varint(message, ref pos);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0: fields.Add((field, (long)Varint(message, ref pos))); break;
                case 1: fields.Add((field, BitConverter.ToDouble(message, pos))); pos += 8; break;
                case 2:
                    var n = (int)Varint(message, ref pos);
                    fields.Add((field, message[pos..(pos + n)]));
                    pos += n;
                    break;
                default: throw new InvalidOperationException($"wire type {tag & 7}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int pos)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return v;
        }
    }
}
