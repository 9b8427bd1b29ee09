using Ndhm.Core.Errors;

namespace Ndhm.Registry.Facilities;

/// <summary>A WGS 84 position in decimal degrees.</summary>
public sealed record GeoPoint(double Latitude, double Longitude)
{
    /// <summary>Mean Earth radius (IUGG), as haversine distances conventionally use.</summary>
    public const double EarthRadiusKm = 6371.0088;

    public static GeoPoint Create(double? latitude, double? longitude, string code)
    {
        if (latitude is not { } lat || longitude is not { } lon || double.IsNaN(lat) || double.IsNaN(lon)
            || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            throw new DomainException(ErrorKind.Validation, code, "The location is not valid.",
                "latitude must be in [-90, 90] and longitude in [-180, 180], both decimal degrees.");
        }

        return new GeoPoint(lat, lon);
    }

    /// <summary>Great-circle distance by the haversine formula (accurate to ~0.5% on the sphere).</summary>
    public double DistanceKmTo(GeoPoint other)
    {
        var dLat = Radians(other.Latitude - Latitude);
        var dLon = Radians(other.Longitude - Longitude);
        var a = Math.Pow(Math.Sin(dLat / 2), 2)
                + Math.Cos(Radians(Latitude)) * Math.Cos(Radians(other.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// A latitude/longitude box that contains every point within <paramref name="radiusKm"/>: the store filters
    /// on it with plain comparisons (the Cosmos emulator has no spatial functions) and the haversine refines.
    /// Near the poles or when the circle crosses the antimeridian the box widens to all longitudes.
    /// </summary>
    public BoundingBox BoundingBox(double radiusKm)
    {
        var dLat = radiusKm / EarthRadiusKm * 180 / Math.PI;
        var minLat = Math.Max(-90, Latitude - dLat);
        var maxLat = Math.Min(90, Latitude + dLat);
        var widest = Math.Max(Math.Abs(minLat), Math.Abs(maxLat));
        if (widest >= 89.999)
        {
            return new BoundingBox(minLat, maxLat, -180, 180);
        }

        // At the box's widest latitude a degree of longitude is shortest, so the span there covers the circle.
        var dLon = dLat / Math.Cos(Radians(widest));
        var minLon = Longitude - dLon;
        var maxLon = Longitude + dLon;
        return minLon < -180 || maxLon > 180
            ? new BoundingBox(minLat, maxLat, -180, 180)
            : new BoundingBox(minLat, maxLat, minLon, maxLon);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}

public sealed record BoundingBox(double MinLatitude, double MaxLatitude, double MinLongitude, double MaxLongitude)
{
    public bool Contains(GeoPoint p) =>
        p.Latitude >= MinLatitude && p.Latitude <= MaxLatitude && p.Longitude >= MinLongitude && p.Longitude <= MaxLongitude;
}
