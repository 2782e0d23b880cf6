using System.Collections;
using System.Reflection;
using System.Runtime.ExceptionServices;
using PureHDF.VOL.Native;

namespace Disco.Interop;

/// <summary>
/// Works around a quadratic cost in PureHDF 2.2.0 when listing an "old style" group (what h5py
/// writes by default, and what naver/splade's index is): the group's link names live in one
/// local heap, held in a <c>LocalHeap</c> record struct that caches its bytes lazily; every copy
/// of that struct starts uncached, and the group listing passes it by value per link, so each
/// child re-reads (and allocates) the whole name heap. For a SPLADE index with 60K datasets the
/// heap is ~1.4 MB and listing allocated 85 GB and took a minute of CPU per 100K documents,
/// dominating the import. Loading the heap's bytes once into the struct the group keeps makes
/// every later copy carry them (listing: ~1 s of CPU).
/// </summary>
/// <remarks>
/// This reaches PureHDF's internals by reflection (pinned version in Directory.Packages.props);
/// if they change, <see cref="Preload"/> finds nothing, returns false, and listing is only slower,
/// never wrong. A test asserts it still finds the heap, so an upgrade that changes the internals
/// (or fixes the bug upstream) is noticed and this class can go.
/// </remarks>
internal static class PureHdfGroupNames
{
    private const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>Loads the name heaps of <paramref name="group"/> once; true if one was found and loaded.</summary>
    public static bool Preload(NativeGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        try
        {
            var loaded = false;
            foreach (var holder in HeapHolders(group))
                loaded |= LoadHeap(holder);
            return loaded;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // A damaged file fails inside PureHDF: surface its exception, not reflection's wrapper.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>The objects that keep a group's local heap: its symbol-table entry's scratch pad and its symbol table message.</summary>
    private static IEnumerable<object> HeapHolders(NativeGroup group)
    {
        for (var type = group.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField("_scratchPad", Members | BindingFlags.DeclaredOnly)?.GetValue(group) is { } pad)
                yield return pad;
        }
        object? header = null;
        for (var type = group.GetType(); type is not null && header is null; type = type.BaseType)
            header = type.GetProperty("Header", Members | BindingFlags.DeclaredOnly)?.GetValue(group);
        if (header?.GetType().GetProperty("HeaderMessages", Members)?.GetValue(header) is IEnumerable messages)
        {
            foreach (var message in messages)
            {
                if (message?.GetType().GetProperty("Data", Members)?.GetValue(message) is { } data)
                    yield return data;
            }
        }
    }

    private static bool LoadHeap(object holder)
    {
        var field = holder.GetType().GetField("_localHeap", Members);
        var property = holder.GetType().GetProperty("LocalHeap", Members);
        if (field is null || property is null || !field.FieldType.IsValueType)
            return false;
        property.GetValue(holder); // decodes the heap header into the field
        var heap = field.GetValue(holder);
        var bytes = heap?.GetType().GetProperty("Data", Members);
        if (heap is null || bytes is null)
            return false;
        bytes.GetValue(heap); // fills the boxed copy's byte cache ...
        field.SetValue(holder, heap); // ... which goes back into the field every later copy is made from
        return true;
    }
}
