using EhrSynth.Generators.IO;
using ScottPlot;
using SkiaSharp;

namespace EhrSynth.Generators.Reporting;

/// <summary>Renders plots as one PNG, a grid of equal panels row by row, written atomically.</summary>
internal static class PanelGrid
{
    /// <summary>Saves <paramref name="panels"/> in rows of at most <paramref name="maxColumns"/>.</summary>
    public static void Save(IReadOnlyList<Plot> panels, string path, int panelWidth, int panelHeight, int maxColumns = 3)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        int columns = Math.Min(maxColumns, panels.Count);
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;
        var multiplot = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1))
        {
            multiplot.Subplots.Add(panel);
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        multiplot.Render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    }
}
